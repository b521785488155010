//go:build !unix

package main

// raiseOpenFileLimit does nothing where there is no such limit to raise;
// 0 tells run the limit is unknown.
func raiseOpenFileLimit() (uint64, error) { return 0, nil }
