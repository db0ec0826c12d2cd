// Package dirlock takes exclusive advisory locks (flock) on directories,
// for processes that must not update one directory at the same time.
package dirlock

import "errors"

// ErrHeld reports that another process holds the lock.
var ErrHeld = errors.New("directory locked by another process")

// Lock takes an exclusive lock on the directory dir, waiting while another
// process holds it; TryLock fails at once with ErrHeld instead. Closing the
// returned unlock releases the lock, as does the process's exit. Where
// flock does not exist, or the filesystem cannot lock, both lock nothing
// and succeed; a directory that cannot be opened is an error.
func Lock(dir string) (unlock func() error, err error) { return lock(dir, true) }

// TryLock is Lock without waiting: ErrHeld when another process holds the
// lock.
func TryLock(dir string) (unlock func() error, err error) { return lock(dir, false) }
