//go:build race

package pivot_test

// raceEnabled reports whether the race detector is on: it adds allocations,
// so allocation counts are not checked then.
const raceEnabled = true
