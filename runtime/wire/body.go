package wire

import (
	"bytes"
	"mime"
	"net/url"
	"strings"
)

// DecodeBody decodes a request body by its Content-Type, the one rule Pivot
// requests (POST) and webhook deliveries (POST, PUT) share:
//
//   - application/x-www-form-urlencoded: a form body (DecodeForm);
//   - application/json, or any "+json" type: one JSON object (DecodeJSON);
//     a blank body has no parameters;
//   - media types are compared case-insensitively, parameters (charset)
//     ignored;
//   - no or another Content-Type: Kazoo always sends one of the two above,
//     so, leniently, a body that starts with "{" (after white space) and
//     decodes as a JSON object is read as JSON, and anything else as a form
//     body.
//
// It returns the parameters, the pairs as sent for a form body (nil for
// JSON) and the body format found. Only a body sent as JSON can fail, with
// a *BodyError naming the byte offset and the field.
func DecodeBody(contentType string, body []byte) (Params, url.Values, BodyFormat, error) {
	var values url.Values
	p, _, format, err := decodeBody(contentType, body, &values)
	return p, values, format, err
}

// decodeBody is DecodeBody, setting *values to a form body's pairs as sent
// unless values is nil: it returns the parameters, the form body as a
// string ("" for JSON) and the body format found.
func decodeBody(contentType string, body []byte, values *url.Values) (Params, string, BodyFormat, error) {
	switch mediaType := mediaTypeOf(contentType); {
	case mediaType == ContentTypeForm:
		s := string(body)
		return decodeForm(s, values), s, BodyForm, nil
	case mediaType == ContentTypeJSON || strings.HasSuffix(mediaType, "+json"):
		if len(bytes.TrimSpace(body)) == 0 {
			return nil, "", BodyJSON, nil // lenient: an empty body has no parameters
		}
		p, err := DecodeJSON(body)
		return p, "", BodyJSON, err
	}
	if trimmed := bytes.TrimSpace(body); len(trimmed) > 0 && trimmed[0] == '{' {
		if p, err := DecodeJSON(body); err == nil {
			return p, "", BodyJSON, nil
		}
	}
	s := string(body)
	return decodeForm(s, values), s, BodyForm, nil
}

// mediaTypeOf returns the media type of a Content-Type header, lower-case
// and without parameters; "" when it is missing or malformed. What Kazoo
// sends is compared as it is; anything else goes to mime.ParseMediaType.
func mediaTypeOf(contentType string) string {
	switch contentType {
	case ContentTypeForm, ContentTypeJSON:
		return contentType
	}
	mediaType, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		return ""
	}
	return mediaType
}
