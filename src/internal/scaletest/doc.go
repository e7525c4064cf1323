// Package scaletest holds the tests of running eventgen at scale that
// need heavy dependencies: the Kubernetes manifests of deploy/kubernetes
// decoded strictly with k8s.io/api's types and checked against the CLI,
// and eventgen serve's /metrics parsed with the Prometheus text parser
// (github.com/prometheus/common/expfmt).
//
// It is a Go module of its own, nested in the repository's (as
// splunktest/browsertest is), so that those dependencies stay out of the
// app's build graph. Run its tests from this folder (scripts/test.sh does):
//
//	go test -race -count=1 ./...
package scaletest
