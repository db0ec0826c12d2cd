package main

import (
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"

	"github.com/kzgen/kzgen/schemas"
)

// flagExit maps a flag parsing error to an exit code: 0 for -h, 2 otherwise.
func flagExit(err error) int {
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	return 2
}

// embeddedSchemasName labels the embedded schema set in messages.
const embeddedSchemasName = "embedded schemas"

// schemaDirFS opens the schema directory a -schemas flag names, or the
// embedded set for "". It returns the file system and the name messages
// use for it; a directory that does not exist, or is not a directory, is an
// error naming it.
func schemaDirFS(flagName, dir string) (fs.FS, string, error) {
	if dir == "" {
		return schemas.FS, embeddedSchemasName, nil
	}
	info, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, "", fmt.Errorf("%s: schema directory %s does not exist", flagName, dir)
	case err != nil:
		return nil, "", fmt.Errorf("%s: %w", flagName, err)
	case !info.IsDir():
		return nil, "", fmt.Errorf("%s: %s is not a directory", flagName, dir)
	}
	return os.DirFS(dir), dir, nil
}
