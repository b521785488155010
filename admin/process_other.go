//go:build !unix

package admin

// processUsage is not measured off unix systems.
func processUsage() (cpuSeconds float64, rssBytes uint64) { return 0, 0 }
