//go:build unix

package tempmod

import (
	"errors"
	"os"
	"syscall"
)

// lockWait takes an exclusive advisory lock on directory dir, waiting
// while another process holds it.
func lockWait(dir string) (unlock func() error, err error) {
	return lock(dir, syscall.LOCK_EX)
}

// lockNoWait is lockWait that fails at once when the lock is held.
func lockNoWait(dir string) (unlock func() error, err error) {
	return lock(dir, syscall.LOCK_EX|syscall.LOCK_NB)
}

func lock(dir string, how int) (unlock func() error, err error) {
	f, err := os.Open(dir)
	if err != nil {
		return nil, err
	}
	for {
		err = syscall.Flock(int(f.Fd()), how)
		if !errors.Is(err, syscall.EINTR) {
			break
		}
	}
	if err != nil {
		f.Close()
		return nil, err
	}
	return f.Close, nil // closing the descriptor releases the lock
}
