package crossbar

import (
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"net/http"
	"net/url"
	"strconv"
)

// Resource is the path of an account's document collection, after
// /v2/accounts/{ACCOUNT_ID}/ (§1.13).
type Resource string

// The collections a Pivot developer works with.
const (
	Callflows        Resource = "callflows"
	Users            Resource = "users"
	Devices          Resource = "devices"
	Groups           Resource = "groups"
	VMBoxes          Resource = "vmboxes"
	Conferences      Resource = "conferences"
	Media            Resource = "media"
	Menus            Resource = "menus"
	TemporalRules    Resource = "temporal_rules"
	TemporalRuleSets Resource = "temporal_rules_sets"
)

// Get reads the document r/id into a T.
func Get[T any](ctx context.Context, c *Client, r Resource, id string) (T, error) {
	var doc T
	path, err := c.accountPath(ctx, r, id)
	if err != nil {
		return doc, err
	}
	resp, err := c.Do(ctx, http.MethodGet, path, nil, nil)
	if err != nil {
		return doc, err
	}
	return decodeData[T](resp, path)
}

// Create stores doc as a new document of r (PUT, 201) and returns it as
// saved, with its "id". doc is encoded through a pointer, so a document
// type whose MarshalJSON has a pointer receiver (every kazoodoc type) is
// encoded by it whether T is the type or a pointer to it.
func Create[T any](ctx context.Context, c *Client, r Resource, doc T) (T, error) {
	return write[T](ctx, c, http.MethodPut, r, "", &doc)
}

// Update replaces the document r/id with doc (POST) and returns it as
// saved. doc is encoded as Create encodes it.
func Update[T any](ctx context.Context, c *Client, r Resource, id string, doc T) (T, error) {
	return write[T](ctx, c, http.MethodPost, r, id, &doc)
}

// Patch merges fields into the document r/id (PATCH; a field set to nil
// is deleted) and returns the document as saved.
func Patch[T any](ctx context.Context, c *Client, r Resource, id string, fields any) (T, error) {
	return write[T](ctx, c, http.MethodPatch, r, id, fields)
}

// Delete deletes the document r/id.
func Delete(ctx context.Context, c *Client, r Resource, id string) error {
	path, err := c.accountPath(ctx, r, id)
	if err != nil {
		return err
	}
	_, err = c.Do(ctx, http.MethodDelete, path, nil, nil)
	return err
}

func write[T any](ctx context.Context, c *Client, method string, r Resource, id string, data any) (T, error) {
	var doc T
	var ids []string
	if method != http.MethodPut {
		ids = []string{id}
	}
	path, err := c.accountPath(ctx, r, ids...)
	if err != nil {
		return doc, err
	}
	resp, err := c.Do(ctx, method, path, nil, data)
	if err != nil {
		return doc, err
	}
	return decodeData[T](resp, path)
}

func decodeData[T any](resp *Response, path string) (T, error) {
	var doc T
	if err := json.Unmarshal(resp.Data, &doc); err != nil {
		return doc, fmt.Errorf("crossbar: %s: decoding the document (request %s): %w", path, resp.RequestID, err)
	}
	return doc, nil
}

// ListOptions narrows a listing.
type ListOptions struct {
	// PageSize is the number of rows per request; 0 leaves Crossbar's
	// default (50).
	PageSize int
	// Query holds further parameters: filters such as filter_name=Main or
	// has_key=owner_id, created_from, ascending=true (§1.8).
	Query url.Values
}

// List returns an iterator over every row of r's listing, following
// next_start_key from page to page. Rows are what Crossbar's listing view
// returns for the collection (a summary, not the whole document). An error
// ends the iteration as the last pair.
func List[T any](ctx context.Context, c *Client, r Resource, opts *ListOptions) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		path, err := c.accountPath(ctx, r)
		if err != nil {
			yield(zero, err)
			return
		}
		for row, err := range listPath[T](ctx, c, path, opts) {
			if !yield(row, err) || err != nil {
				return
			}
		}
	}
}

// ListAll collects every row of r's listing, all pages.
func ListAll[T any](ctx context.Context, c *Client, r Resource, opts *ListOptions) ([]T, error) {
	return collect(List[T](ctx, c, r, opts))
}

// listPath iterates over the listing at path, page by page.
func listPath[T any](ctx context.Context, c *Client, path string, opts *ListOptions) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		query := url.Values{}
		if opts != nil {
			for k, vs := range opts.Query {
				query[k] = append([]string(nil), vs...)
			}
			if opts.PageSize > 0 {
				query.Set("page_size", strconv.Itoa(opts.PageSize))
			}
		}
		seen := map[string]bool{}
		for page := 1; ; page++ {
			if page > 1 {
				c.log.Info("reading the next page", "path", path, "page", page)
			}
			resp, err := c.Do(ctx, http.MethodGet, path, query, nil)
			if err != nil {
				yield(zero, err)
				return
			}
			var rows []json.RawMessage
			if len(resp.Data) > 0 && string(resp.Data) != "null" {
				if err := json.Unmarshal(resp.Data, &rows); err != nil {
					yield(zero, fmt.Errorf("crossbar: %s: the listing is not a list (request %s): %w", path, resp.RequestID, err))
					return
				}
			}
			for i, raw := range rows {
				var row T
				if err := json.Unmarshal(raw, &row); err != nil {
					yield(zero, fmt.Errorf("crossbar: %s: page %d, row %d (request %s): %w", path, page, i, resp.RequestID, err))
					return
				}
				if !yield(row, nil) {
					return
				}
			}
			next := resp.NextStartKey
			if next == "" {
				return
			}
			if seen[next] {
				yield(zero, fmt.Errorf("crossbar: %s: page %d repeats the start key of an earlier page; stopping", path, page))
				return
			}
			seen[next] = true
			query.Set("start_key", next)
		}
	}
}
