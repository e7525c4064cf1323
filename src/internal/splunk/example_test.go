package splunk_test

import (
	"fmt"
	"os"
	"strings"

	"github.com/eventgen-go/eventgen/src/internal/logging"
	"github.com/eventgen-go/eventgen/src/internal/splunk"
)

func ExampleParseInput() {
	doc := `<input>
  <server_host>web01</server_host>
  <server_uri>https://127.0.0.1:8089</server_uri>
  <session_key>abc</session_key>
  <checkpoint_dir>/opt/splunk/var/lib/splunk/modinputs/modinput_eventgen</checkpoint_dir>
  <configuration>
    <stanza name="modinput_eventgen://default" app="SA-Eventgen">
      <param name="verbosity">40</param>
    </stanza>
  </configuration>
</input>`
	in, err := splunk.ParseInput(strings.NewReader(doc))
	if err != nil {
		fmt.Println(err)
		return
	}
	st := in.Stanzas[0]
	level, _ := logging.ParseLevel(st.Params["verbosity"])
	fmt.Println(in.ServerURI, st.Name, st.App, logging.LevelWord(level))
	// Output: https://127.0.0.1:8089 modinput_eventgen://default SA-Eventgen ERROR
}

func ExampleWriteValidationError() {
	if err := splunk.ValidateVerbosity("loud"); err != nil {
		_ = splunk.WriteValidationError(os.Stdout, err.Error())
	}
	// Output: <error><message>verbosity &#34;loud&#34; is not a logging level; use 10 (DEBUG), 20 (INFO), 30 (WARN), 40 (ERROR) or 50 (CRITICAL), or leave it empty for INFO</message></error>
}
