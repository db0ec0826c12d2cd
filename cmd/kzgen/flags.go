package main

import (
	"errors"
	"flag"
)

// flagExit maps a flag parsing error to an exit code: 0 for -h, 2 otherwise.
func flagExit(err error) int {
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	return 2
}
