package kazoodoc_test

import (
	"context"
	"fmt"
	"log"

	"github.com/kzgen/kzgen/gen/callflow"
	"github.com/kzgen/kzgen/gen/kazoodoc"
	"github.com/kzgen/kzgen/runtime/crossbar"
	"github.com/kzgen/kzgen/runtime/crossbar/crossbartest"
)

// Read a user through Crossbar, then store a callflow that rings them and
// falls back to their voicemail box. Here Crossbar is crossbartest's fake;
// a real one is crossbar.New(crossbar.ConfigFromEnv()).
func Example() {
	srv := crossbartest.NewServer(crossbartest.Options{})
	defer srv.Close()
	acct := srv.AddAccount("Example Corp")
	userID, _ := acct.AddUser("alice", "wonderland", map[string]any{"first_name": "Alice", "last_name": "Liddell"})
	boxID, _ := acct.Create(crossbar.VMBoxes, map[string]any{"name": "Alice", "mailbox": "1001", "owner_id": userID})

	ctx := context.Background()
	c, err := crossbar.New(crossbar.Config{BaseURL: srv.URL, Credentials: crossbar.APIKey(acct.APIKey)})
	if err != nil {
		log.Fatal(err)
	}

	user, err := crossbar.Get[kazoodoc.Users](ctx, c, crossbar.Users, userID)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(user.GetFirstName(), user.GetLastName(), user.GetPrivLevel())

	main := &kazoodoc.Callflows{
		Name:    new("Alice"),
		Numbers: []string{"4155550101"},
		Flow:    callflow.User().ID(userID).Timeout(20).Then(callflow.Voicemail().ID(boxID)).Node(),
	}
	if err := main.Validate(); err != nil {
		log.Fatal(err) // every problem, with its JSON pointer
	}
	saved, err := crossbar.Create(ctx, c, crossbar.Callflows, main)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(saved.Numbers, saved.Flow.Module, "then", saved.Flow.Next("_").Module)
	box := saved.Flow.Next("_").Data.(*callflow.VoicemailData)
	fmt.Println(box.GetID() == boxID, box.GetAction())
	// Output:
	// Alice Liddell user
	// [+14155550101] user then voicemail
	// true compose
}
