//go:build !unix

package tempmod

// lockWait does nothing where flock does not exist: two processes running
// the same test of one checkout at once share its scratch directory there.
func lockWait(string) (unlock func() error, err error) {
	return func() error { return nil }, nil
}

// lockNoWait is lockWait.
func lockNoWait(dir string) (unlock func() error, err error) { return lockWait(dir) }
