//go:build unix

package dirlock

import (
	"errors"
	"testing"
)

// TestTryLockWhileHeld: a held lock makes TryLock fail with ErrHeld, and
// is free once released. flock locks belong to open files, so the lock
// this test holds stands for another process's.
func TestTryLockWhileHeld(t *testing.T) {
	dir := t.TempDir()
	unlock, err := Lock(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := TryLock(dir); !errors.Is(err, ErrHeld) {
		t.Errorf("TryLock while held: %v, want ErrHeld", err)
	}
	if err := unlock(); err != nil {
		t.Fatal(err)
	}
	again, err := TryLock(dir)
	if err != nil {
		t.Fatalf("TryLock after unlock: %v", err)
	}
	again()
}
