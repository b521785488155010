package game

import (
	"flag"
	"fmt"
	"strconv"
	"time"
)

// MaxOptionDuration bounds a duration option set by DurationOption.
const MaxOptionDuration = 24 * time.Hour

// IntOption defines on fs a flag that sets *p, a mode option, to a whole
// number from lo to hi; its default is what *p holds. A value out of range
// is refused when the flag is set, so a bad option stops a server at
// start-up (Mode.Flags uses it).
func IntOption(fs *flag.FlagSet, p *int32, lo, hi int32, name, usage string) {
	fs.Var(&int32Option{p: p, lo: lo, hi: hi}, name, usage)
}

// DurationOption defines on fs a flag that sets *p, a mode option, to a
// duration above 0 and at most MaxOptionDuration.
func DurationOption(fs *flag.FlagSet, p *time.Duration, name, usage string) {
	fs.Var(&durationOption{p: p}, name, usage)
}

// int32Option is the flag.Value of IntOption.
type int32Option struct {
	p      *int32
	lo, hi int32
}

func (f *int32Option) String() string {
	if f.p == nil {
		return "0"
	}
	return strconv.Itoa(int(*f.p))
}

func (f *int32Option) Set(s string) error {
	v, err := strconv.ParseInt(s, 10, 32)
	if err != nil || v < int64(f.lo) || v > int64(f.hi) {
		return fmt.Errorf("want a whole number from %d to %d", f.lo, f.hi)
	}
	*f.p = int32(v)
	return nil
}

// durationOption is the flag.Value of DurationOption.
type durationOption struct{ p *time.Duration }

func (f *durationOption) String() string {
	if f.p == nil {
		return "0s"
	}
	return f.p.String()
}

func (f *durationOption) Set(s string) error {
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 || d > MaxOptionDuration {
		return fmt.Errorf("want a duration above 0 and up to %v, like 250ms or 5m", MaxOptionDuration)
	}
	*f.p = d
	return nil
}
