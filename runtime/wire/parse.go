package wire

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
)

// ParseRequest reads a Pivot request as Kazoo sends it:
//
//   - GET (and HEAD): the parameters are the URL's query string, form-encoded
//     (a voice_url's own query parameters arrive among them); the body is
//     never read.
//   - POST with Content-Type application/x-www-form-urlencoded: the form
//     body. With application/json (or any "+json" type): one JSON object.
//     Media types are compared case-insensitively, parameters (charset)
//     ignored.
//   - POST with no or another Content-Type: Kazoo never sends that, so,
//     leniently, a body that starts with "{" and decodes as a JSON object is
//     read as JSON, and anything else as a form body (form decoding cannot
//     fail).
//
// An empty POST body gives a request with no parameters. The form decoding
// rules are DecodeForm's, the JSON ones DecodeJSON's. The body is read once,
// to its end, and not closed: wrap it in http.MaxBytesReader to bound it;
// a read error, such as *http.MaxBytesError, is returned wrapped. A JSON body
// that does not decode gives an error wrapping a *BodyError, which names the
// byte offset and field.
// Methods other than GET, HEAD and POST give an error wrapping
// ErrUnsupportedMethod.
func ParseRequest(r *http.Request) (*Request, error) {
	if r == nil {
		return nil, errors.New("pivot: nil *http.Request")
	}
	method, rawQuery := MethodAndQuery(r)

	req := &Request{Method: method}
	switch method {
	case http.MethodGet, http.MethodHead:
		req.BodyFormat = BodyQuery
		req.form = rawQuery
		req.Raw = decodeForm(rawQuery, nil)
	case http.MethodPost:
		req.urlQuery = rawQuery
		if err := req.readPOST(r); err != nil {
			return nil, err
		}
	default:
		return nil, fmt.Errorf("pivot: method %q: %w", r.Method, ErrUnsupportedMethod)
	}

	req.Format = detectFormat(req.Raw)
	req.fill()
	return req, nil
}

// readPOST reads the parameters of a POST from its body, which it reads
// into a pooled buffer: decodeBody keeps copies of what it decodes, never
// the buffer's bytes.
func (req *Request) readPOST(r *http.Request) error {
	buf := bodyBuffers.Get().(*[]byte)
	body, err := readBody((*buf)[:0], r.Body, r.ContentLength)
	defer func() {
		if cap(body) <= maxPooledBody {
			*buf = body[:0]
			bodyBuffers.Put(buf)
		}
	}()
	if err != nil {
		return fmt.Errorf("pivot: reading POST body: %w", err)
	}
	req.Raw, req.form, req.BodyFormat, err = decodeBody(r.Header.Get("Content-Type"), body, nil)
	if err != nil {
		return fmt.Errorf("pivot: %w", err)
	}
	return nil
}

// bodyBuffers holds the arrays POST bodies are read into, between
// requests: what a request keeps of its body is decoded into strings of
// its own.
var bodyBuffers = sync.Pool{New: func() any { return new([]byte) }}

// maxPooledBody is the largest array bodyBuffers keeps, so that one huge
// body does not stay in memory.
const maxPooledBody = 64 << 10

// readBody reads the whole body, appending it to b; a nil body is empty.
// It makes room from the Content-Length, which it trusts up to
// maxBodyPrealloc only: the body's reader, not the header, bounds what is
// read.
func readBody(b []byte, body io.Reader, contentLength int64) ([]byte, error) {
	if body == nil || body == http.NoBody {
		return b, nil
	}
	size := 512 // io.ReadAll's first guess
	if contentLength > 0 && contentLength < maxBodyPrealloc {
		size = int(contentLength) + 1 // room for the read that meets the end
	}
	b = slices.Grow(b, size)
	for {
		n, err := body.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if err == io.EOF {
			return b, nil
		}
		if err != nil {
			return b, err
		}
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)] // grow as append does
		}
	}
}

// maxBodyPrealloc bounds the buffer readBody allocates on the word of a
// Content-Length header.
const maxBodyPrealloc = 64 << 10

// MethodAndQuery returns r's method upper-cased (an empty one is GET, as
// net/http reads it) and its URL's raw query ("" without a URL): what a
// Kazoo request is read by, Pivot's and webhooks' alike.
func MethodAndQuery(r *http.Request) (method, rawQuery string) {
	method = strings.ToUpper(r.Method)
	if method == "" {
		method = http.MethodGet
	}
	if r.URL != nil {
		rawQuery = r.URL.RawQuery
	}
	return method, rawQuery
}
