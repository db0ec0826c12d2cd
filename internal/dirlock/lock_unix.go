//go:build unix

package dirlock

import (
	"errors"
	"os"
	"syscall"
)

func lock(dir string, wait bool) (unlock func() error, err error) {
	f, err := os.Open(dir)
	if err != nil {
		return nil, err
	}
	how := syscall.LOCK_EX
	if !wait {
		how |= syscall.LOCK_NB
	}
	for {
		err = syscall.Flock(int(f.Fd()), how)
		if !errors.Is(err, syscall.EINTR) {
			break
		}
	}
	switch {
	case err == nil:
		return f.Close, nil // closing the descriptor releases the lock
	case errors.Is(err, syscall.EWOULDBLOCK):
		f.Close()
		return nil, ErrHeld
	default: // a filesystem that cannot lock: go ahead unlocked
		return f.Close, nil
	}
}
