package simulate

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
)

// DigitSource supplies what the caller keys in when a menu or collect_dtmf
// node waits for digits.
type DigitSource interface {
	// NextEntry returns the keys the caller presses at this prompt, in
	// order, e.g. "42#". ok false, or an empty entry, means the caller
	// presses nothing and the prompt times out. prompt says which node
	// waits and for what.
	NextEntry(prompt string) (entry string, ok bool)
}

// dtmfKeys are the keys of a phone keypad.
const dtmfKeys = "0123456789*#"

// ValidEntry returns an error naming the first key of entry that is not a
// keypad key (0-9, * and #), or nil.
func ValidEntry(entry string) error {
	if i := strings.IndexFunc(entry, func(r rune) bool { return !strings.ContainsRune(dtmfKeys, r) }); i >= 0 {
		return fmt.Errorf("entry %q: %q is not a keypad key (0-9, *, #)", entry, entry[i:i+1])
	}
	return nil
}

// ParseEntries splits a comma-separated list of entries, such as "1,42#,9",
// checking each with ValidEntry. An empty item ("1,,2") is an entry with no
// keys: that prompt times out. The empty string gives no entries.
func ParseEntries(s string) ([]string, error) {
	if s == "" {
		return nil, nil
	}
	entries := strings.Split(s, ",")
	for i, e := range entries {
		entries[i] = strings.TrimSpace(e)
		if err := ValidEntry(entries[i]); err != nil {
			return nil, err
		}
	}
	return entries, nil
}

// Entries is a DigitSource that hands out a fixed list of entries, one per
// prompt, in order; once they are used up every prompt times out.
type Entries struct {
	mu   sync.Mutex
	list []string
}

// NewEntries returns a DigitSource for the entries, in order.
func NewEntries(entries ...string) *Entries {
	return &Entries{list: append([]string(nil), entries...)}
}

// NextEntry returns the next entry; ok is false once none is left.
func (e *Entries) NextEntry(string) (string, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if len(e.list) == 0 {
		return "", false
	}
	next := e.list[0]
	e.list = e.list[1:]
	return next, true
}

// Keyboard is a DigitSource that asks a person: it writes each prompt to
// its output and reads one line of keys from its input. An empty line
// means no entry; end of input means no entry from then on.
type Keyboard struct {
	in  *bufio.Reader
	out io.Writer
	eof bool
}

// NewKeyboard returns a Keyboard reading from in and prompting on out.
func NewKeyboard(in io.Reader, out io.Writer) *Keyboard {
	return &Keyboard{in: bufio.NewReader(in), out: out}
}

// NextEntry prompts and reads one line, asking again while the line holds
// anything but keypad keys.
func (k *Keyboard) NextEntry(prompt string) (string, bool) {
	for !k.eof {
		fmt.Fprintf(k.out, "%s\n  keys (empty for none): ", prompt)
		line, err := k.in.ReadString('\n')
		if err != nil {
			k.eof = true
			if !errors.Is(err, io.EOF) || line == "" {
				fmt.Fprintln(k.out)
				return "", false
			}
		}
		line = strings.TrimSpace(line)
		if err := ValidEntry(line); err != nil {
			fmt.Fprintf(k.out, "  %v\n", err)
			continue
		}
		return line, line != ""
	}
	return "", false
}

// nextEntry asks the configured source, if any.
func (w *walker) nextEntry(prompt string) (string, bool) {
	if w.cfg.Digits == nil {
		return "", false
	}
	return w.cfg.Digits.NextEntry(prompt)
}

// cutEntry reads an entry the way FreeSWITCH collects digits: keys up to
// the first terminator (not included), at most max of them. rest is what
// was pressed after that, and is dropped.
func cutEntry(entry, terminators string, max int) (digits, rest string) {
	digits = entry
	if i := strings.IndexAny(entry, terminators); i >= 0 {
		digits, rest = entry[:i], entry[i+1:]
	}
	if len(digits) > max {
		digits, rest = digits[:max], digits[max:]+terminatorOf(entry, len(digits))+rest
	}
	return digits, rest
}

// terminatorOf returns the key at i in entry, the terminator cutEntry
// removed, or "" at the end of the entry.
func terminatorOf(entry string, i int) string {
	if i < len(entry) {
		return entry[i : i+1]
	}
	return ""
}
