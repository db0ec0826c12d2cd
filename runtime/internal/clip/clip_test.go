package clip

import "testing"

func TestString(t *testing.T) {
	for _, tc := range []struct {
		s    string
		max  int
		want string
	}{
		{"short", 10, "short"},
		{"abcdef", 3, "abc…(6 bytes)"},
		{"aé", 2, "a…(3 bytes)"}, // é is two bytes: not cut in half
	} {
		if got := String(tc.s, tc.max); got != tc.want {
			t.Errorf("String(%q, %d) = %q, want %q", tc.s, tc.max, got, tc.want)
		}
	}
}
