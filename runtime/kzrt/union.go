package kzrt

import "fmt"

// NoAlternative is the error of a generated union's UnmarshalJSON when no
// alternative can hold data. found is the error of the alternative that
// got furthest (Deeper), nil when none has data's JSON type; want names
// the JSON types the alternatives have. code is what Kazoo reports: for a
// oneOf (CodeNoneOf) or an anyOf (CodeNoneOfAny), the union itself fails,
// and found is quoted in its message; for a list of types (CodeType), the
// declared type fails, or found is the problem itself.
func NoAlternative(data []byte, want, code string, found error) error {
	if found == nil {
		return &DecodeError{Err: Error{Code: code, Message: fmt.Sprintf("got %s, want %s", kindName(Kind(data)), want)}}
	}
	if code == CodeType {
		return found
	}
	return &DecodeError{Err: Error{Code: code, Message: "no alternative matches: " + brief(AsErrors(found).Error())}}
}
