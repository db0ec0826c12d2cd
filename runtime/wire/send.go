package wire

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"strings"
)

// Content types Kazoo puts on a POST (pivot_call req_content_type/1).
const (
	ContentTypeForm = "application/x-www-form-urlencoded"
	ContentTypeJSON = "application/json"
)

// AppendQuery adds an encoded parameter string to a voice_url the way
// pivot_call's uri/2 does for GET: after the URL's own query joined with "&"
// when it has one, else after a "?"; any "#fragment" stays last. An empty
// query on a URL without one leaves the URL as it is.
func AppendQuery(voiceURL, query string) string {
	rest, fragment, _ := strings.Cut(voiceURL, "#")
	base, own, _ := strings.Cut(rest, "?")
	if own != "" {
		query = own + "&" + query
	}
	u := base
	if query != "" {
		u += "?" + query
	}
	if fragment != "" {
		u += "#" + fragment
	}
	return u
}

// NewHTTPRequest builds the HTTP request Kazoo's pivot_call sends for the
// parameter set p:
//
//   - method "GET" (any case): the parameters, form-encoded, are appended to
//     voiceURL's query (AppendQuery) whatever body says, as Kazoo does; no
//     body and no headers.
//   - method "POST": to voiceURL unchanged, with a BodyJSON body (EncodeJSON,
//     Content-Type application/json) or otherwise a form body (EncodeForm,
//     Content-Type application/x-www-form-urlencoded, Kazoo's default).
//
// Content-Type is the only header set; Go's transport still adds its own
// (Host, Content-Length, User-Agent, Accept-Encoding), as Kazoo's httpc adds
// its own. Any other method is an error wrapping ErrUnsupportedMethod.
func NewHTTPRequest(ctx context.Context, method, voiceURL string, body BodyFormat, p Params) (*http.Request, error) {
	var (
		req *http.Request
		err error
	)
	switch strings.ToUpper(method) {
	case http.MethodGet:
		req, err = http.NewRequestWithContext(ctx, http.MethodGet, AppendQuery(voiceURL, EncodeForm(p)), nil)
	case http.MethodPost:
		contentType, data := ContentTypeForm, []byte(EncodeForm(p))
		if body == BodyJSON {
			contentType, data = ContentTypeJSON, EncodeJSON(p)
		}
		req, err = http.NewRequestWithContext(ctx, http.MethodPost, voiceURL, bytes.NewReader(data))
		if err == nil {
			req.Header.Set("Content-Type", contentType)
		}
	default:
		return nil, fmt.Errorf("pivot: building request: method %q: %w", method, ErrUnsupportedMethod)
	}
	if err != nil {
		return nil, fmt.Errorf("pivot: building %s request: %w", strings.ToUpper(method), err)
	}
	return req, nil
}
