//go:build unix

package outdir

import (
	"errors"
	"os"
	"syscall"
)

// lockDir takes an exclusive advisory lock on the directory dir without
// waiting: ErrBusy when another process holds it. Where the filesystem
// cannot lock, the update goes ahead unlocked.
func lockDir(dir string) (unlock func() error, err error) {
	f, err := os.Open(dir)
	if err != nil {
		return nil, err
	}
	for {
		err = syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if !errors.Is(err, syscall.EINTR) {
			break
		}
	}
	switch {
	case err == nil:
		return f.Close, nil // closing the descriptor releases the lock
	case errors.Is(err, syscall.EWOULDBLOCK):
		f.Close()
		return nil, ErrBusy
	default:
		return f.Close, nil
	}
}
