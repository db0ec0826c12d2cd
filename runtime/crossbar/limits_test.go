package crossbar_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kzgen/kzgen/runtime/crossbar"
	"github.com/kzgen/kzgen/runtime/crossbar/crossbartest"
)

func TestRateLimitBackOff(t *testing.T) {
	clock := crossbartest.NewManualClock(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC))
	srv, acct := fake(t, crossbartest.Options{Clock: clock})
	var (
		mu     sync.Mutex
		waited []time.Duration
	)
	c := client(t, srv, crossbar.APIKey(acct.APIKey), func(cfg *crossbar.Config) {
		cfg.Now = clock.Now
		cfg.Sleep = func(ctx context.Context, d time.Duration) error {
			mu.Lock()
			waited = append(waited, d)
			mu.Unlock()
			return clock.Sleep(ctx, d)
		}
	})
	start := time.Now()
	// The login takes 35 of the 100 tokens; 65 requests empty the bucket.
	for i := range 66 {
		if _, err := crossbar.ListAll[user](ctx, c, crossbar.Users, nil); err != nil {
			t.Fatalf("request %d: %v", i+1, err)
		}
	}
	if want := []time.Duration{crossbar.DefaultRateLimitDelay}; !slices.Equal(waited, want) {
		t.Errorf("waited %v, want %v: one wait refills 5 tokens", waited, want)
	}
	// The bucket is empty again after 5 more; a client that gives up at
	// once sees ErrRateLimited.
	impatient := client(t, srv, crossbar.APIKey(acct.APIKey), func(cfg *crossbar.Config) {
		cfg.Now = clock.Now
		cfg.RateLimitRetries = -1
	})
	var err error
	for range 10 {
		if _, err = crossbar.ListAll[user](ctx, impatient, crossbar.Users, nil); err != nil {
			break
		}
	}
	var e *crossbar.Error
	if !errors.Is(err, crossbar.ErrRateLimited) || !errors.As(err, &e) || e.StatusCode != 429 || e.Message != "too_many_requests" {
		t.Errorf("err = %v, want a 429 too_many_requests", err)
	}
	if elapsed := time.Since(start); elapsed > 10*time.Second {
		t.Errorf("the test took %v: the client slept for real", elapsed)
	}
}

func TestRateLimitGivesUpAfterRetries(t *testing.T) {
	srv, acct := fake(t, crossbartest.Options{BucketTokens: 35, FillPerSecond: 0.001})
	var waits []time.Duration
	c := client(t, srv, crossbar.APIKey(acct.APIKey), func(cfg *crossbar.Config) {
		cfg.RateLimitRetries = 3
		cfg.RateLimitDelay = time.Millisecond
		cfg.Sleep = func(_ context.Context, d time.Duration) error { waits = append(waits, d); return nil }
	})
	_, err := crossbar.ListAll[user](ctx, c, crossbar.Users, nil)
	if !errors.Is(err, crossbar.ErrRateLimited) {
		t.Fatalf("err = %v, want ErrRateLimited", err)
	}
	if want := []time.Duration{time.Millisecond, 2 * time.Millisecond, 4 * time.Millisecond}; !slices.Equal(waits, want) {
		t.Errorf("waits %v, want %v (doubling)", waits, want)
	}
}

func TestRateLimitWaitStopsWithContext(t *testing.T) {
	srv, acct := fake(t, crossbartest.Options{BucketTokens: 35, FillPerSecond: 0.001})
	c := client(t, srv, crossbar.APIKey(acct.APIKey), func(cfg *crossbar.Config) { cfg.RateLimitDelay = time.Hour })
	cctx, cancel := context.WithTimeout(ctx, 20*time.Millisecond)
	defer cancel()
	_, err := crossbar.ListAll[user](cctx, c, crossbar.Users, nil)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v, want the context's deadline", err)
	}
}

func TestPaging(t *testing.T) {
	srv, acct := fake(t, crossbartest.Options{BucketTokens: -1})
	want := map[string]bool{}
	for i := range 120 {
		id, err := acct.Create(crossbar.Devices, map[string]any{"name": fmt.Sprintf("phone %03d", i)})
		if err != nil {
			t.Fatal(err)
		}
		want[id] = true
	}
	var requests int
	counting := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		if r.Method == http.MethodGet {
			requests++
		}
		return http.DefaultTransport.RoundTrip(r)
	})}
	c := client(t, srv, crossbar.APIKey(acct.APIKey), func(cfg *crossbar.Config) { cfg.HTTPClient = counting })
	type device struct {
		ID   string `json:"id"`
		Name string `json:"name"`
	}
	rows, err := crossbar.ListAll[device](ctx, c, crossbar.Devices, nil)
	if err != nil {
		t.Fatal(err)
	}
	if requests != 3 {
		t.Errorf("%d requests for 120 rows, want 3 pages of 50", requests)
	}
	got := map[string]bool{}
	for _, r := range rows {
		got[r.ID] = true
	}
	if len(rows) != 120 || len(got) != 120 {
		t.Fatalf("%d rows, %d distinct, want 120", len(rows), len(got))
	}
	for id := range want {
		if !got[id] {
			t.Errorf("missing %s", id)
		}
	}

	requests = 0
	asc, err := crossbar.ListAll[device](ctx, c, crossbar.Devices, &crossbar.ListOptions{PageSize: 7, Query: map[string][]string{"ascending": {"true"}}})
	if err != nil {
		t.Fatal(err)
	}
	if requests != 18 || len(asc) != 120 || !slices.IsSortedFunc(asc, func(a, b device) int { return strings.Compare(a.ID, b.ID) }) {
		t.Errorf("ascending, 7 a page: %d requests, %d rows, sorted %v", requests, len(asc), slices.IsSortedFunc(asc, func(a, b device) int { return strings.Compare(a.ID, b.ID) }))
	}

	requests = 0
	n := 0
	for _, err := range crossbar.List[device](ctx, c, crossbar.Devices, &crossbar.ListOptions{PageSize: 10}) {
		if err != nil {
			t.Fatal(err)
		}
		if n++; n == 15 {
			break
		}
	}
	if requests != 2 {
		t.Errorf("stopping after 15 rows made %d requests, want 2", requests)
	}

	filtered, err := crossbar.ListAll[device](ctx, c, crossbar.Devices, &crossbar.ListOptions{Query: map[string][]string{"filter_name": {"phone 042"}}})
	if err != nil || len(filtered) != 1 || filtered[0].Name != "phone 042" {
		t.Errorf("filter_name: %+v, %v", filtered, err)
	}
}

func TestPagingStopsOnARepeatedKey(t *testing.T) {
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if strings.HasSuffix(r.URL.Path, "api_auth") {
			w.WriteHeader(201)
			fmt.Fprint(w, `{"auth_token":"a.b.c","data":{"account_id":"0123456789abcdef0123456789abcdef"}}`)
			return
		}
		fmt.Fprint(w, `{"status":"success","data":[{"id":"x"}],"next_start_key":"same"}`)
	}))
	defer ts.Close()
	c, err := crossbar.New(crossbar.Config{BaseURL: ts.URL, Credentials: crossbar.APIKey("k")})
	if err != nil {
		t.Fatal(err)
	}
	_, err = crossbar.ListAll[user](ctx, c, crossbar.Users, nil)
	if err == nil || !strings.Contains(err.Error(), "repeats the start key") {
		t.Errorf("err = %v, want the loop reported", err)
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
