package lobby

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/secure/precis"
)

// MaxNameLength is the longest display name, in characters.
const MaxNameLength = 24

// maxMarksInARow bounds the combining marks after one letter: scripts such
// as Devanagari need one or two, a tower of them only hides the letter.
const maxMarksInARow = 2

// ValidateName normalizes a display name with the PRECIS Nickname profile
// (RFC 8266: spaces mapped and trimmed, runs of spaces collapsed, Unicode
// compatibility forms folded by NFKC, so that full-width, mathematical or
// ligature look-alikes become the letters they imitate; invisible and
// control characters refused) and checks what is left: 1 to MaxNameLength
// characters, at least one letter or digit (no blank-looking name), only
// letters with at most two combining marks each, digits, spaces and the
// marks - _ . ' !, and letters of one script, or of one of the
// combinations of Unicode's "highly restrictive" level (UTS #39: Latin with
// Han and Japanese kana, with Han and Bopomofo, or with Han and Hangul), so
// that a name cannot pass Cyrillic or Greek letters off as Latin ones.
func ValidateName(name string) (string, error) {
	if !utf8.ValidString(name) {
		return "", errors.New("name is not valid UTF-8")
	}
	norm, err := precis.Nickname.String(name)
	if err != nil {
		if strings.TrimSpace(name) == "" {
			return "", errors.New("name is empty")
		}
		return "", fmt.Errorf("name has a character a display name may not use (%w)", err)
	}
	if n := utf8.RuneCountInString(norm); n > MaxNameLength {
		return "", fmt.Errorf("name has %d characters, at most %d allowed", n, MaxNameLength)
	}
	visible, marks := false, 0
	scripts := map[string]bool{}
	for _, r := range norm {
		switch {
		case unicode.IsLetter(r):
			visible, marks = true, 0
			if s := scriptOf(r); s != "" {
				scripts[s] = true
			}
		case unicode.IsDigit(r):
			visible, marks = true, 0
		case unicode.In(r, unicode.Mn, unicode.Mc):
			if marks++; marks > maxMarksInARow {
				return "", fmt.Errorf("name stacks more than %d marks on a letter", maxMarksInARow)
			}
		case r == ' ' || strings.ContainsRune("-_.'!", r):
			marks = maxMarksInARow // a mark must follow a letter
		default:
			return "", fmt.Errorf("name contains %q (allowed: letters, digits, spaces and - _ . ' !)", r)
		}
	}
	if !visible {
		return "", errors.New("name has no letter or digit")
	}
	if !oneScript(scripts) {
		return "", errors.New("name mixes the letters of several scripts")
	}
	return norm, nil
}

// scriptOf returns the name of r's Unicode script, "" for Common and
// Inherited (which go with any script).
func scriptOf(r rune) string {
	if r < utf8.RuneSelf {
		return "Latin" // the only letters of ASCII
	}
	for name, table := range unicode.Scripts {
		if name != "Common" && name != "Inherited" && unicode.Is(table, r) {
			return name
		}
	}
	return ""
}

// scriptSets are the combinations of scripts UTS #39's "highly
// restrictive" level allows in one identifier, beside a single script.
var scriptSets = []map[string]bool{
	{"Latin": true, "Han": true, "Hiragana": true, "Katakana": true},
	{"Latin": true, "Han": true, "Bopomofo": true},
	{"Latin": true, "Han": true, "Hangul": true},
}

// oneScript reports whether the scripts of a name's letters are one
// script or one of scriptSets.
func oneScript(scripts map[string]bool) bool {
	if len(scripts) <= 1 {
		return true
	}
	for _, set := range scriptSets {
		ok := true
		for s := range scripts {
			ok = ok && set[s]
		}
		if ok {
			return true
		}
	}
	return false
}
