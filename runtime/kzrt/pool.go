package kzrt

import "sync"

// Encoders and validators for whole trees are pooled: a pivot server
// encodes and validates a tree for every answer, and the buffers and the
// validator's path would otherwise be allocated each time.

var (
	encoders   = sync.Pool{New: func() any { return new(Encoder) }}
	validators = sync.Pool{New: func() any { return new(Validator) }}
)

// maxPooledBuffer is the largest encoder buffer kept for reuse.
const maxPooledBuffer = 1 << 20

// getEncoder returns a pooled encoder with an empty buffer.
func getEncoder() *Encoder {
	e := encoders.Get().(*Encoder)
	e.buf, e.err = e.buf[:0], nil
	return e
}

// putEncoder returns e to the pool, with its buffer unless it grew large.
func putEncoder(e *Encoder) {
	if cap(e.buf) > maxPooledBuffer {
		e.buf = nil
	}
	e.err = nil
	encoders.Put(e)
}

// getValidator returns a pooled, empty validator with opts applied.
func getValidator(opts []Option) *Validator {
	v := validators.Get().(*Validator)
	v.apply(opts)
	return v
}

// take returns the problems recorded, as Validate returns them (nil or
// Errors), and forgets them, so that the validator can go back to the pool.
func (v *Validator) take() error {
	if len(v.errs) == 0 {
		return nil
	}
	errs := v.errs
	v.errs = nil
	return errs
}

// putValidator returns v to the pool, empty.
func putValidator(v *Validator) {
	*v = Validator{sub: v.sub}
	validators.Put(v)
}
