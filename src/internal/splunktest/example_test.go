package splunktest_test

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/eventgen-go/eventgen/src/internal/splunktest"
)

// A splunkd with one stanza, read and changed over REST as the modular
// input and the editor page do.
func Example() {
	fake := splunktest.New(splunktest.Options{})
	fake.SetStanza("SA-Eventgen", "web.log", map[string]string{"count": "20"})
	fake.AddInternal(time.Now(), splunktest.ExecProcessorLine(time.Now(), "INFO eventgen_status stanza=web.log app=SA-Eventgen state=idle"))
	base := fake.Start()
	defer fake.Close()

	req, _ := http.NewRequest("POST", base+"/servicesNS/nobody/SA-Eventgen/configs/conf-eventgen/web.log",
		strings.NewReader(url.Values{"count": {"5"}}.Encode()))
	req.Header.Set("Authorization", "Splunk "+fake.SessionKey())
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		panic(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	v, _ := fake.Stanza("SA-Eventgen", "web.log")
	fmt.Println(resp.StatusCode, v["count"], len(fake.Writes()))
	// Output: 200 5 1
}
