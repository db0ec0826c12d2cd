package crossbar

import (
	"encoding/json"
	"fmt"
	"strconv"
	"time"
)

// GregorianOffset is the number of seconds from year 0 of the Gregorian
// calendar to the Unix epoch: Kazoo's timestamps are Unix seconds plus
// this (§1.1).
const GregorianOffset = 62167219200

// Timestamp is a time Kazoo writes as Gregorian seconds.
type Timestamp struct{ time.Time }

// GregorianSeconds returns t as Kazoo writes it.
func (t Timestamp) GregorianSeconds() int64 { return t.Unix() + GregorianOffset }

// MarshalJSON writes Gregorian seconds.
func (t Timestamp) MarshalJSON() ([]byte, error) {
	return []byte(strconv.FormatInt(t.GregorianSeconds(), 10)), nil
}

// UnmarshalJSON reads Gregorian seconds, as a number or a string of digits.
func (t *Timestamp) UnmarshalJSON(data []byte) error {
	if string(data) == "null" {
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(data, &n); err != nil {
		return fmt.Errorf("timestamp: %w", err)
	}
	secs, err := n.Int64()
	if err != nil {
		f, ferr := n.Float64()
		if ferr != nil {
			return fmt.Errorf("timestamp %s: %w", n, err)
		}
		secs = int64(f)
	}
	t.Time = time.Unix(secs-GregorianOffset, 0).UTC()
	return nil
}
