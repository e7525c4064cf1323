//go:build !cloud

package delivery

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/eventgen-go/eventgen/src/internal/logging"
	"github.com/eventgen-go/eventgen/src/internal/output"
	"github.com/hashicorp/go-retryablehttp"
)

// This file is the machinery shared by the HTTP outputs (httpevent,
// metric_httpevent, splunkstream): the sink that is their Dst, batching,
// delivery with retries and fail-over, indexer acknowledgement, counters.
//
// Delivery guarantees. WriteBatch cuts the events of a chunk into batches of at
// most options.MaxPayload bytes (an event larger than that goes alone,
// never split) and delivers them before it returns (waitResponse) or with
// a bounded number of requests in flight. A batch that cannot be delivered
// because the receiver is down or busy is retried with back-off for as
// long as it takes: Write blocks, the engine's bounded queue fills, and
// generation waits (backpressure, no loss). Under the drop policy a batch
// is dropped instead once every server has failed it after its retries,
// and the drop is counted and logged. Errors that retrying cannot fix
// (bad token, unknown index, TLS verification) stop the output: Write
// returns them from then on, so the engine stops the stanza.

// options tune an HTTP output: settings fill some, the rest are internal
// defaults that tests shorten.
type Options struct {
	MaxPayload    int           // payload bytes per request; an event larger than this goes alone
	Concurrency   int           // requests in flight: 1 = wait for each response
	Drop          bool          // drop a batch after the retry budget instead of retrying forever
	Ack           bool          // HEC indexer acknowledgement
	AckTimeout    time.Duration // resend a batch not acknowledged within this
	AckPoll       time.Duration // interval between ack queries
	MaxPending    int           // batches awaiting an acknowledgement (bounded; Write waits)
	RetryMax      int           // retries of one request (go-retryablehttp) before the server is taken out
	Retry         Backoff       // back-off between those retries (go-retryablehttp's Backoff hook)
	RetryAfterMax time.Duration // cap on a server's Retry-After
	Down          Backoff       // how long a failing server is taken out, after its n-th failure in a row
	Timeout       time.Duration // one HTTP request, response included
	CloseTimeout  time.Duration // Close waits this long for in-flight requests and acks
	LogEvery      time.Duration // repeated warnings are logged at most this often
	Insecure      bool          // skip TLS certificate verification
	// InsecureSetting names the setting that sets Insecure, in messages.
	InsecureSetting string
}

func DefaultOptions() Options {
	return Options{
		MaxPayload:    1000000,
		Concurrency:   1,
		AckTimeout:    60 * time.Second,
		AckPoll:       time.Second,
		MaxPending:    64,
		RetryMax:      3,
		Retry:         Backoff{Min: 250 * time.Millisecond, Max: 4 * time.Second},
		RetryAfterMax: 30 * time.Second,
		Down:          Backoff{Min: time.Second, Max: 15 * time.Second},
		Timeout:       60 * time.Second,
		CloseTimeout:  30 * time.Second,
		LogEvery:      10 * time.Second,
	}
}

// asyncRequests is how many requests are in flight with
// httpeventWaitResponse = false.
const AsyncRequests = 4

// errAborted is returned by Write after Abort.
var ErrAborted = errors.New("output aborted")

// OutcomeKind is how a request ended, after go-retryablehttp's retries.
type OutcomeKind uint8

const (
	OutOK    OutcomeKind = iota
	OutRetry             // receiver down, busy or failing: try again later, elsewhere if possible
	OutSplit             // the batch is too large (413) or holds a bad event (400 code 5/6/12/13/15): split it
	OutPerm              // a configuration error retrying cannot fix: the output stops
	OutAbort             // the output was aborted
	OutAgain             // send again at once, once (the transport renewed a session); Err is the error if the second answer is the same
)

type Outcome struct {
	Kind    OutcomeKind
	Err     error // what happened, for messages
	AckID   int64
	HasAck  bool
	Invalid int // index of the bad event in the batch, -1 if unknown
}

// Transport is what differs between the HTTP outputs (HEC, metrics HEC,
// splunkstream): it builds the request for a batch and says what the
// answer means. Sending, batching, retries, back-off, fail-over,
// acknowledgement, the drop policy and the counters are the Sink's.
type Transport interface {
	// Request builds the request that sends b to srv. c is for what must
	// come first (splunkstream logs in); an Outcome other than OutOK ends
	// the attempt. The request's body may be b.Body itself: the Sink
	// reuses that memory only once the HTTP transport has closed every
	// request body (see batchMem); nothing else may keep b.Body.
	Request(ctx context.Context, c *Client, srv *Server, b *Batch) (*retryablehttp.Request, Outcome)
	// Classify says what srv's answer to b means.
	Classify(srv *Server, status int, body []byte, b *Batch) Outcome
}

// Acker is a Transport with indexer acknowledgement (HEC's
// /services/collector/ack), used when Options.Ack is set.
type Acker interface {
	// AckRequest builds the query of which of ids srv has indexed.
	AckRequest(ctx context.Context, srv *Server, ids []int64) (*retryablehttp.Request, error)
	// Acked reads the answer to AckRequest.
	Acked(status int, body []byte) (map[int64]bool, error)
}

// server is one receiver.
type Server struct {
	URL     string // scheme://host:port, no trailing slash
	Key     string // token or session key; never logged
	Channel string // stable channel GUID (HEC)

	mu        sync.Mutex
	downUntil time.Time
	fails     int

	ackFail time.Time // since when ack queries fail; zero when the last one worked (its poller's own)
}

// wait returns how long srv is still taken out.
func (srv *Server) wait(now time.Time) time.Duration {
	srv.mu.Lock()
	defer srv.mu.Unlock()
	return srv.downUntil.Sub(now)
}

func (srv *Server) up() {
	srv.mu.Lock()
	srv.fails = 0
	srv.downUntil = time.Time{}
	srv.mu.Unlock()
}

// down takes srv out for a back-off period and returns it.
func (srv *Server) down(opt *Options) time.Duration {
	srv.mu.Lock()
	defer srv.mu.Unlock()
	d := opt.Down.Delay(srv.fails)
	srv.fails++
	srv.downUntil = time.Now().Add(d)
	return d
}

// batch is the payload of one request: whole events, in order.
type Batch struct {
	Meta string  // query string of a grouped batch (HEC raw, splunkstream)
	Body []byte  // the events' payloads, concatenated
	offs []int32 // where each event starts in body
	root *httpRoot
	mem  *batchMem // the memory of Body and offs, for a batch Write made
}

// root tracks a batch as Write made it, across splits and mirrored
// copies: refs counts the pieces not yet finished.
type httpRoot struct {
	refs atomic.Int32
	slot bool      // holds an ack slot
	mem  *batchMem // released when the last piece is finished
}

// batchMem is the memory of a batch's Body and offs, reused from one
// request to the next: a new ~1 MiB body per request was garbage that
// cost its allocation, its zeroing and fresh pages (splunkstream:
// 2.5 page faults per request). It returns to the sink's pool when its
// users are gone: the batch (until its last piece is finished) and every
// request body the HTTP transport reads from it (timedTransport tracks
// them until the transport closes them, which can be after the response
// when the receiver answers before reading the whole request).
type batchMem struct {
	s     *Sink
	body  []byte
	offs  []int32
	users atomic.Int32
}

// release drops one user; the last one puts m back in the pool.
func (m *batchMem) release() {
	if m.users.Add(-1) == 0 {
		m.s.putMem(m)
	}
}

// maxFreeMem bounds the batch memories a sink keeps for reuse: enough
// for the batch being filled and those in flight in the usual cases.
const maxFreeMem = 4

// memCap is the capacity of a pooled body: that of a batch that starts
// with an event no larger than MaxPayload.
func (s *Sink) memCap() int { return min(s.opt.MaxPayload, 4<<20) }

// getMem returns memory for a batch whose first payload has n bytes.
func (s *Sink) getMem(n int) *batchMem {
	size := min(max(s.opt.MaxPayload, n), 4<<20)
	if size == s.memCap() {
		s.memMu.Lock()
		if k := len(s.freeMem); k > 0 {
			m := s.freeMem[k-1]
			s.freeMem[k-1] = nil
			s.freeMem = s.freeMem[:k-1]
			s.memMu.Unlock()
			return m
		}
		s.memMu.Unlock()
	}
	s.memAllocs.Add(1)
	return &batchMem{s: s, body: make([]byte, 0, size)}
}

// putMem keeps m for reuse if it has the pooled capacity and there is room.
func (s *Sink) putMem(m *batchMem) {
	if cap(m.body) != s.memCap() {
		return
	}
	m.body, m.offs = m.body[:0], m.offs[:0]
	s.memMu.Lock()
	if len(s.freeMem) < maxFreeMem {
		s.freeMem = append(s.freeMem, m)
	}
	s.memMu.Unlock()
}

func (b *Batch) events() int { return len(b.offs) }

// event returns the payload of event i.
func (b *Batch) event(i int) []byte {
	end := len(b.Body)
	if i+1 < len(b.offs) {
		end = int(b.offs[i+1])
	}
	return b.Body[b.offs[i]:end]
}

// part returns events [i, j) as a batch sharing b's memory.
func (b *Batch) part(i, j int) *Batch {
	start := int(b.offs[i])
	end := len(b.Body)
	if j < len(b.offs) {
		end = int(b.offs[j])
	}
	offs := make([]int32, j-i)
	for k := range offs {
		offs[k] = b.offs[i+k] - int32(start)
	}
	return &Batch{Meta: b.Meta, Body: b.Body[start:end], offs: offs, root: b.root}
}

// split cuts b around the bad event at invalid (when known: before it,
// the event alone, after it) or in halves.
func (b *Batch) split(invalid int) []*Batch {
	n := b.events()
	if invalid < 0 || invalid >= n {
		return []*Batch{b.part(0, n/2), b.part(n/2, n)}
	}
	var parts []*Batch
	if invalid > 0 {
		parts = append(parts, b.part(0, invalid))
	}
	parts = append(parts, b.part(invalid, invalid+1))
	if invalid+1 < n {
		parts = append(parts, b.part(invalid+1, n))
	}
	return parts
}

// pendingBatch is a batch the receiver accepted and has not yet
// acknowledged.
type hecPending struct {
	b     *Batch
	fixed *Server // mirror: the server it must reach; nil: any
	sent  time.Time
}

// counters are a sink's Stats.
type counters struct {
	events, bytes, requests, retries, failures, dropped atomic.Int64
	inFlight, roundTrips, rttNanos                      atomic.Int64 // timedTransport's
}

// sink is the Dst of an HTTP output. Write is called by one goroutine (the
// output.Writer's); the other methods are safe for concurrent use.
type Sink struct {
	kind    string // output mode, for messages
	log     *slog.Logger
	opt     Options
	t       Transport
	client  *Client // Post's
	ackc    *Client // the ack queries': no retries (polled again anyway)
	servers []*Server
	mirror  bool
	grouped bool   // events carry a group query string (output.Batch.Keys)
	SkipMsg string // logged (rate-limited) when a skipped event (an empty span) is counted; "" = the encoder logs

	ctx    context.Context // canceled by Abort or a Close that timed out
	cancel context.CancelFunc
	sem    chan struct{} // requests in flight when concurrency > 1
	slots  chan struct{} // batches awaiting an ack
	wg     sync.WaitGroup
	pollWG sync.WaitGroup
	stop   chan struct{} // closed when Close stops the ack pollers

	// Write's own state.
	groups map[string]*Batch
	order  []string
	last   *Batch // the batch the previous event went to: consecutive events mostly share a group

	mu          sync.Mutex
	cond        sync.Cond // broadcast when outstanding drops
	outstanding int       // batches Write made that are not finished
	perm        error     // first permanent error
	aborted     bool
	rr          int
	pending     map[*Server]map[int64]*hecPending
	polling     map[*Server]bool
	noAckLogged bool

	lost      atomic.Int64 // events not delivered because the output stopped
	progress  atomic.Int64 // unix nanoseconds of the last delivery (or of the start of work)
	writing   atomic.Bool  // a Write is running
	shutdown  sync.Once
	st        counters
	closeOnce sync.Once
	closeErr  error

	warnLim, dropLim, badLim, skipLim, ackLim logging.Limiter

	memMu     sync.Mutex
	freeMem   []*batchMem  // batch memory for reuse (getMem, putMem)
	memAllocs atomic.Int64 // batch memories allocated, for tests
}

func NewSink(kind string, log *slog.Logger, opt Options, t Transport, servers []*Server, mirror, grouped bool) *Sink {
	s := &Sink{
		kind: kind, log: log, opt: opt, t: t, servers: servers, mirror: mirror, grouped: grouped,
		groups:  make(map[string]*Batch),
		pending: make(map[*Server]map[int64]*hecPending),
		polling: make(map[*Server]bool),
		stop:    make(chan struct{}),
	}
	s.cond.L = &s.mu
	s.ctx, s.cancel = context.WithCancel(context.Background())
	if opt.Concurrency > 1 {
		s.sem = make(chan struct{}, opt.Concurrency)
	}
	if opt.Ack {
		s.slots = make(chan struct{}, max(opt.MaxPending, 1))
	}
	s.client = newClient(kind, opt, log, &s.st)
	ackOpt := opt
	ackOpt.RetryMax = 0
	s.ackc = newClient(kind, ackOpt, log, nil)
	return s
}

// Options returns the options the sink was made with.
func (s *Sink) Options() Options { return s.opt }

// Servers returns the sink's receivers.
func (s *Sink) Servers() []*Server { return s.servers }

// Stats returns the output's counters.
func (s *Sink) Stats() Stats {
	return Stats{
		Events:   s.st.events.Load(),
		Bytes:    s.st.bytes.Load(),
		Requests: s.st.requests.Load(),
		Retries:  s.st.retries.Load(),
		Failures: s.st.failures.Load(),
		Dropped:  s.st.dropped.Load(),
		InFlight: s.st.inFlight.Load(), RoundTrips: s.st.roundTrips.Load(), RoundTripTime: time.Duration(s.st.rttNanos.Load()),
	}
}

// Abort stops the output now: requests in flight and retries are
// canceled, nothing more is sent, and the events not yet delivered are
// counted in Close's error. An engine calls it (through
// interface{ Abort() }) to bound its shutdown when a receiver stays down,
// since Write keeps retrying for as long as the receiver is unreachable.
func (s *Sink) Abort() {
	s.mu.Lock()
	s.aborted = true
	s.cond.Broadcast()
	s.mu.Unlock()
	s.cancel()
}

// Shutdown tells the output that the run ends: from now on it gives up
// (Abort) when it has work outstanding and nothing has been delivered
// (accepted, or acknowledged with httpeventAck) for grace, instead of
// retrying for ever. The first
// call counts. The same method as the stream outputs' (syslog, TCP, UDP),
// so an engine can call it through interface{ Shutdown(time.Duration) }.
func (s *Sink) Shutdown(grace time.Duration) {
	grace = max(grace, time.Nanosecond)
	s.shutdown.Do(func() {
		s.progress.Store(time.Now().UnixNano())
		go func() {
			t := time.NewTicker(min(max(grace/4, 10*time.Millisecond), time.Second))
			defer t.Stop()
			for {
				select {
				case <-s.ctx.Done():
					return
				case <-t.C:
				}
				s.mu.Lock()
				busy := s.outstanding > 0
				s.mu.Unlock()
				busy = busy || s.writing.Load()
				if busy && time.Since(time.Unix(0, s.progress.Load())) >= grace {
					s.log.Error("giving up: the receiver has been unreachable for the shutdown grace period; the events not delivered are counted", "grace", grace)
					s.Abort()
					return
				}
			}
		}()
	})
}

// err returns the error that stops the output, or nil.
func (s *Sink) err() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.perm != nil {
		return s.perm
	}
	if s.aborted {
		return fmt.Errorf("%s: %w", s.kind, ErrAborted)
	}
	return nil
}

// Write refuses bytes: a Sink reads events from the spans of an
// output.Batch (WriteBatch), which the output.Writer hands it. It exists
// so that a Sink is an io.WriteCloser, as every destination is.
func (s *Sink) Write(p []byte) (int, error) {
	return 0, fmt.Errorf("%s: internal error: events must come as an output.Batch", s.kind)
}

// WriteBatch delivers the events of one chunk. It returns when every
// request is delivered (waitResponse), or handed to a request in flight,
// or awaits its acknowledgement.
func (s *Sink) WriteBatch(c *output.Batch) error {
	if !c.Check() || (s.grouped && len(c.Keys) != c.Len()) {
		return fmt.Errorf("%s: internal error: a chunk without its events' spans and group keys, or one that leaves out a key it must carry (output.Batch.Check)", s.kind)
	}
	s.mu.Lock()
	if s.outstanding == 0 {
		// Idle until now: time without progress counts from here.
		s.progress.Store(time.Now().UnixNano())
	}
	s.mu.Unlock()
	s.writing.Store(true)
	defer s.writing.Store(false)
	if err := s.err(); err != nil {
		s.abandon(c, 0)
		return err
	}
	var meta []byte // the key of the previous event not skipped
	for i := range c.Len() {
		key, body, same := c.Span(i)
		if !same {
			if len(key) == 0 && len(body) == 0 {
				s.skipped()
				continue
			}
			meta = key
		}
		if err := s.add(meta, body, same); err != nil {
			s.lost.Add(1) // this event
			s.abandon(c, i+1)
			return err
		}
	}
	// Batches fill across chunks up to MaxPayload: the writer calls Idle
	// (or Flush, or Close) when it has nothing more queued, and what the
	// batches hold goes out then. So a fast generator sends full requests,
	// and a slow one is not held back.
	return s.err()
}

// Idle sends the batches being filled: the output.Writer calls it when it
// has written everything queued.
//
// With several requests in flight it first waits for them to finish:
// sending the batches at once would make many small requests whenever the
// generator is a little slower than the receiver (measured: 4 in flight
// delivered a third of what 1 did). Meanwhile the writer's queue fills,
// and the next batches are full again.
func (s *Sink) Idle() error {
	if s.sem != nil {
		s.mu.Lock()
		for len(s.sem) > 0 && !s.aborted && s.perm == nil {
			s.cond.Wait()
		}
		s.mu.Unlock()
	}
	for _, k := range s.order {
		if b := s.groups[k]; b != nil && b.events() > 0 {
			delete(s.groups, k)
			if err := s.dispatch(b); err != nil {
				s.abandon(nil, 0)
				return err
			}
		}
	}
	s.order = s.order[:0]
	clear(s.groups)
	s.last = nil
	return s.err()
}

// Flush sends the batches being filled (as Idle), for output.Writer.Flush.
func (s *Sink) Flush() error { return s.Idle() }

// abandon counts as not delivered the events of the batches being filled
// and those of c from its event from on, when WriteBatch stops early.
func (s *Sink) abandon(c *output.Batch, from int) {
	n := 0
	for _, b := range s.groups {
		if b != nil {
			n += b.events()
		}
	}
	clear(s.groups)
	s.order = s.order[:0]
	s.last = nil
	if c != nil {
		for i := from; i < c.Len(); i++ {
			if key, body, same := c.Span(i); same || len(key) > 0 || len(body) > 0 {
				n++
			}
		}
	}
	s.lost.Add(int64(n))
}

// add appends one event's payload to its group's batch, sending the batch
// first when the event would take it over the payload limit. same says
// that meta is the previous event's (output.SameKey): its group is
// s.last, when set, without comparing the keys.
func (s *Sink) add(meta, payload []byte, same bool) error {
	var b *Batch
	seen := false
	if s.last != nil && (same || s.last.Meta == string(meta)) {
		// The previous event's group: no map lookup, which hashed the
		// query string of every event (docs/performance.md, Delivery).
		b, seen = s.last, true
	} else {
		b, seen = s.groups[string(meta)]
	}
	if b != nil && b.events() > 0 && len(b.Body)+len(payload) > s.opt.MaxPayload {
		s.groups[string(meta)] = nil // stays in order
		s.last = nil
		if err := s.dispatch(b); err != nil {
			return err
		}
		b = nil
	}
	if b == nil {
		m := s.getMem(len(payload))
		b = &Batch{Meta: string(meta), Body: m.body, offs: m.offs, mem: m}
		if !seen {
			s.order = append(s.order, b.Meta)
		}
		s.groups[b.Meta] = b
	}
	s.last = b
	b.offs = append(b.offs, int32(len(b.Body)))
	b.Body = append(b.Body, payload...)
	return nil
}

// skipped counts an event the encoder skipped.
func (s *Sink) skipped() {
	s.st.dropped.Add(1)
	if s.SkipMsg == "" {
		return
	}
	if ok, n := s.skipLim.Allow(s.opt.LogEvery); ok {
		s.log.Warn(s.SkipMsg, "suppressed", n)
	}
}

// dispatch delivers b or hands it to a request in flight.
func (s *Sink) dispatch(b *Batch) error {
	if s.slots != nil {
		select {
		case s.slots <- struct{}{}:
		case <-s.ctx.Done():
			s.lost.Add(int64(b.events()))
			return s.err()
		}
	}
	b.root = &httpRoot{slot: s.slots != nil, mem: b.mem}
	b.root.refs.Store(1)
	if m := b.mem; m != nil {
		m.body, m.offs = b.Body, b.offs // as grown
		m.users.Store(1)
	}
	s.mu.Lock()
	s.outstanding++
	s.mu.Unlock()
	if s.sem == nil {
		s.deliver(b, nil)
		return s.err()
	}
	select {
	case s.sem <- struct{}{}:
	case <-s.ctx.Done():
		s.lose(b)
		return s.err()
	}
	s.wg.Go(func() {
		defer func() {
			<-s.sem
			s.mu.Lock()
			s.cond.Broadcast() // Idle waits for the requests in flight
			s.mu.Unlock()
		}()
		s.deliver(b, nil)
	})
	return s.err()
}

// finish ends one piece of a batch; the last piece frees its ack slot.
func (s *Sink) finish(b *Batch) {
	if b.root.refs.Add(-1) != 0 {
		return
	}
	if m := b.root.mem; m != nil {
		m.release()
	}
	if b.root.slot {
		<-s.slots
	}
	s.mu.Lock()
	s.outstanding--
	s.cond.Broadcast()
	s.mu.Unlock()
}

func (s *Sink) delivered(b *Batch) {
	s.st.events.Add(int64(b.events()))
	s.st.bytes.Add(int64(len(b.Body)))
	s.finish(b)
}

// lose counts the events of b as not delivered because the output
// stopped.
func (s *Sink) lose(b *Batch) {
	s.lost.Add(int64(b.events()))
	s.finish(b)
}

// fail records a permanent error and logs it; only the first is logged.
func (s *Sink) fail(err error) {
	s.mu.Lock()
	first := s.perm == nil
	if first {
		s.perm = err
	}
	s.cond.Broadcast()
	s.mu.Unlock()
	if first {
		s.log.Error(err.Error())
	}
}

// pick returns the server for the next request: fixed if set, else the
// next server in rotation that is not taken out, or the one that comes
// back first (after waiting for it). ok is false when aborted.
func (s *Sink) pick(fixed *Server) (*Server, bool) {
	list := s.servers
	if fixed != nil {
		list = []*Server{fixed}
	}
	s.mu.Lock()
	start := s.rr
	s.rr++
	s.mu.Unlock()
	now := time.Now()
	var best *Server
	var bestWait time.Duration
	for i := range list {
		srv := list[(start+i)%len(list)]
		w := srv.wait(now)
		if w <= 0 {
			return srv, true
		}
		if best == nil || w < bestWait {
			best, bestWait = srv, w
		}
	}
	if !httpSleep(s.ctx, bestWait) {
		return nil, false
	}
	return best, true
}

// sleepCtx waits d; false if ctx is done first.
func httpSleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// deliver sends b until it is delivered (or awaits its ack), dropped, or
// the output stops; fixed is the server it must reach (mirror) or nil.
func (s *Sink) deliver(b *Batch, fixed *Server) {
	if fixed == nil && s.mirror && len(s.servers) > 1 {
		b.root.refs.Add(int32(len(s.servers) - 1))
		var wg sync.WaitGroup
		for _, srv := range s.servers {
			wg.Go(func() { s.deliver(b, srv) })
		}
		wg.Wait()
		return
	}
	candidates := len(s.servers)
	if fixed != nil {
		candidates = 1
	}
	failed := 0
	for {
		if s.ctx.Err() != nil || s.err() != nil {
			s.lose(b)
			return
		}
		srv, ok := s.pick(fixed)
		if !ok {
			s.lose(b)
			return
		}
		if failed > 0 {
			s.st.retries.Add(1) // the first attempt of a later round resends the batch too
		}
		o := s.post(srv, b)
		switch o.Kind {
		case OutOK:
			srv.up()
			if s.opt.Ack && o.HasAck {
				s.awaitAck(srv, fixed, o.AckID, b)
				return
			}
			if s.opt.Ack {
				s.mu.Lock()
				first := !s.noAckLogged
				s.noAckLogged = true
				s.mu.Unlock()
				if first {
					s.log.Warn("indexer acknowledgement is on but the receiver answered without an ackId (the token has no indexer acknowledgement): events count as delivered when accepted", "server", srv.URL)
				}
			}
			s.progress.Store(time.Now().UnixNano())
			s.delivered(b)
			return
		case OutRetry:
			s.st.failures.Add(1)
			d := srv.down(&s.opt)
			failed++
			if s.opt.Drop && failed >= candidates {
				s.st.dropped.Add(int64(b.events()))
				if ok, n := s.dropLim.Allow(s.opt.LogEvery); ok {
					s.log.Warn("events dropped (httpeventDropPolicy = drop): the receiver failed them after retries", "events", b.events(), "error", o.Err, "suppressed", n)
				}
				s.finish(b)
				return
			}
			if ok, n := s.warnLim.Allow(s.opt.LogEvery); ok {
				s.log.Warn("receiver unavailable: server taken out, retrying (generation waits meanwhile)", "server", srv.URL, "for", d, "error", o.Err, "suppressed", n)
			}
		case OutSplit:
			s.st.failures.Add(1)
			if b.events() == 1 {
				s.st.dropped.Add(1)
				if ok, n := s.badLim.Allow(s.opt.LogEvery); ok {
					s.log.Warn("the receiver rejected an event: event dropped", "server", srv.URL, "error", o.Err, "event", Excerpt(b.Body), "suppressed", n)
				}
				s.finish(b)
				return
			}
			parts := b.split(o.Invalid)
			b.root.refs.Add(int32(len(parts) - 1))
			for _, p := range parts {
				s.deliver(p, fixed)
			}
			return
		case OutPerm:
			s.st.failures.Add(1)
			s.fail(o.Err)
			s.lose(b)
			return
		default: // OutAbort
			s.lose(b)
			return
		}
	}
}

// post sends b to srv (go-retryablehttp's retries included) and says
// what the answer means; OutAgain sends it again at once, once, and a
// second OutAgain stops the output.
func (s *Sink) post(srv *Server, b *Batch) Outcome {
	ctx := s.ctx
	if b.root != nil && b.root.mem != nil {
		ctx = context.WithValue(ctx, memKey{}, b.root.mem) // for timedTransport
	}
	for again := false; ; again = true {
		req, o := s.t.Request(ctx, s.client, srv, b)
		if o.Kind != OutOK {
			return o
		}
		status, body, o := s.client.Do(s.ctx, srv, req)
		if o.Kind != OutOK {
			return o
		}
		o = s.t.Classify(srv, status, body, b)
		if o.Kind != OutAgain {
			return o
		}
		if again {
			o.Kind = OutPerm
			return o
		}
	}
}

// pollAcks asks srv which of ids it has indexed.
func (s *Sink) pollAcks(srv *Server, ids []int64) (map[int64]bool, error) {
	a, ok := s.t.(Acker)
	if !ok {
		return nil, fmt.Errorf("%s has no acknowledgements", s.kind)
	}
	req, err := a.AckRequest(s.ctx, srv, ids)
	if err != nil {
		return nil, err
	}
	status, body, o := s.ackc.Do(s.ctx, srv, req)
	if o.Kind != OutOK {
		return nil, o.Err
	}
	return a.Acked(status, body)
}

// excerpt shortens an event for a log message.
func Excerpt(p []byte) string {
	const n = 200
	if len(p) > n {
		return string(p[:n]) + "…"
	}
	return strings.TrimRight(string(p), "\n")
}

// awaitAck keeps b until srv acknowledges ackID, starting the server's
// ack poller if needed.
func (s *Sink) awaitAck(srv, fixed *Server, ackID int64, b *Batch) {
	s.mu.Lock()
	m := s.pending[srv]
	if m == nil {
		m = make(map[int64]*hecPending)
		s.pending[srv] = m
	}
	stale := m[ackID]
	m[ackID] = &hecPending{b: b, fixed: fixed, sent: time.Now()}
	if !s.polling[srv] {
		s.polling[srv] = true
		s.pollWG.Go(func() { s.poll(srv) })
	}
	s.mu.Unlock()
	if stale != nil {
		// The receiver handed out the same id again: it restarted and
		// forgot the channel, so the older batch may never be acknowledged.
		s.resend(stale)
	}
}

// resend delivers an unacknowledged batch again.
func (s *Sink) resend(p *hecPending) {
	s.st.retries.Add(1)
	s.wg.Go(func() { s.deliver(p.b, p.fixed) })
}

// poll queries srv's acknowledgements until Close or Abort.
func (s *Sink) poll(srv *Server) {
	t := time.NewTicker(s.opt.AckPoll)
	defer t.Stop()
	for {
		select {
		case <-s.stop:
			return
		case <-s.ctx.Done():
			return
		case <-t.C:
		}
		s.pollOnce(srv)
	}
}

// maxAckQuery bounds the ids asked about in one ack query.
const hecMaxAckQuery = 1000

func (s *Sink) pollOnce(srv *Server) {
	s.mu.Lock()
	m := s.pending[srv]
	ids := make([]int64, 0, min(len(m), hecMaxAckQuery))
	for id := range m {
		ids = append(ids, id)
	}
	s.mu.Unlock()
	slices.Sort(ids)
	if len(ids) > hecMaxAckQuery {
		ids = ids[:hecMaxAckQuery]
	}
	if len(ids) == 0 {
		return
	}
	now := time.Now()
	res, err := s.pollAcks(srv, ids)
	if err != nil {
		if srv.ackFail.IsZero() {
			srv.ackFail = now
		}
		if s.ctx.Err() == nil {
			if ok, n := s.ackLim.Allow(s.opt.LogEvery); ok {
				s.log.Warn("acknowledgement query failed; unacknowledged batches are resent if the receiver stays unreachable for httpeventAckTimeout", "server", srv.URL, "error", err, "suppressed", n)
			}
		}
		// While the receiver is unreachable nothing says whether it indexed
		// the batches: keep them, unless it stays away for the ack timeout.
		if now.Sub(srv.ackFail) < s.opt.AckTimeout {
			return
		}
	} else {
		srv.ackFail = time.Time{}
		var acked []*hecPending
		s.mu.Lock()
		for _, id := range ids {
			if res[id] {
				if p := m[id]; p != nil {
					delete(m, id)
					acked = append(acked, p)
				}
			}
		}
		s.mu.Unlock()
		if len(acked) > 0 {
			s.progress.Store(now.UnixNano())
		}
		for _, p := range acked {
			s.delivered(p.b)
		}
	}
	// Resend what the receiver says it has not indexed after the timeout
	// (it may have restarted and forgotten the channel).
	var expired []*hecPending
	s.mu.Lock()
	for id, p := range m {
		if now.Sub(p.sent) >= s.opt.AckTimeout {
			delete(m, id)
			expired = append(expired, p)
		}
	}
	s.mu.Unlock()
	if len(expired) > 0 {
		if ok, n := s.ackLim.Allow(s.opt.LogEvery); ok {
			s.log.Warn("batches not acknowledged within httpeventAckTimeout: resending them", "server", srv.URL, "batches", len(expired), "timeout", s.opt.AckTimeout, "suppressed", n)
		}
	}
	for _, p := range expired {
		if s.ctx.Err() != nil {
			s.lose(p.b)
			continue
		}
		s.resend(p)
	}
}

// Close waits (at most options.CloseTimeout) for the requests in flight
// and the acknowledgements awaited, then stops. It returns the permanent
// error that stopped the output, if any, joined with a count of the
// events that could not be delivered.
func (s *Sink) Close() error {
	s.closeOnce.Do(func() {
		if s.err() == nil {
			s.Idle()
		} else {
			s.abandon(nil, 0)
		}
		done := make(chan struct{})
		go func() {
			s.mu.Lock()
			for s.outstanding > 0 {
				s.cond.Wait()
			}
			s.mu.Unlock()
			close(done)
		}()
		t := time.NewTimer(s.opt.CloseTimeout)
		select {
		case <-done:
		case <-t.C:
			s.log.Warn("closing: requests or acknowledgements still outstanding after the close timeout; giving up on them", "timeout", s.opt.CloseTimeout)
			s.cancel()
		case <-s.ctx.Done(): // aborted
		}
		t.Stop()
		close(s.stop)
		s.pollWG.Wait()
		if s.ctx.Err() != nil {
			// Nothing will acknowledge the pending batches any more.
			var left []*hecPending
			s.mu.Lock()
			for _, m := range s.pending {
				for id, p := range m {
					delete(m, id)
					left = append(left, p)
				}
			}
			s.mu.Unlock()
			for _, p := range left {
				s.lose(p.b)
			}
			<-done
		}
		s.wg.Wait()
		s.cancel()
		var errs []error
		s.mu.Lock()
		if s.perm != nil {
			errs = append(errs, s.perm)
		}
		s.mu.Unlock()
		if n := s.lost.Load(); n > 0 {
			errs = append(errs, fmt.Errorf("%s: %d events not delivered", s.kind, n))
		}
		s.closeErr = errors.Join(errs...)
	})
	return s.closeErr
}

// Client sends the requests of an HTTP output.
type Client struct {
	kind            string // output mode, for messages
	insecureSetting string
	c               *retryablehttp.Client
}

// Do sends req to srv. When a response came, it returns its status and
// (at most 64 KiB of) its body, with an Outcome of kind OutOK for the
// transport to classify; otherwise the Outcome of a request that got no
// response: retry (connection refused, timeout), stop (TLS verification,
// plain HTTP answering HTTPS) or aborted.
func (c *Client) Do(ctx context.Context, srv *Server, req *retryablehttp.Request) (int, []byte, Outcome) {
	resp, err := c.c.Do(req)
	if resp == nil {
		if err == nil {
			err = fmt.Errorf("no response")
		}
		return 0, nil, transportError(ctx, c.kind, srv.URL, err, c.insecureSetting)
	}
	return resp.StatusCode, readReply(resp), Outcome{Kind: OutOK}
}

// newClient returns the go-retryablehttp client of an output: retries of
// connection errors, 429 and 5xx (not 501) with the opt.Retry back-off,
// honouring Retry-After on 429/503 up to retryAfterMax; never retries
// other 4xx nor TLS verification errors. Its log goes to log at debug
// level; st, when set, counts requests and retries.
func newClient(kind string, opt Options, log *slog.Logger, st *counters) *Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.TLSClientConfig = &tls.Config{InsecureSkipVerify: opt.Insecure, MinVersion: tls.VersionTLS12} //nolint:gosec // explicit setting
	tr.MaxIdleConnsPerHost = opt.Concurrency + 4
	tr.Proxy = http.ProxyFromEnvironment
	c := retryablehttp.NewClient()
	c.HTTPClient = &http.Client{Transport: tr, Timeout: opt.Timeout}
	if st != nil {
		c.HTTPClient.Transport = &timedTransport{tr, st}
	}
	c.Logger = httpDebugLogger{log}
	c.RetryMax = opt.RetryMax
	c.RetryWaitMin = opt.Retry.Min
	c.RetryWaitMax = opt.Retry.Max
	c.CheckRetry = retryablehttp.DefaultRetryPolicy
	c.Backoff = func(lo, hi time.Duration, attempt int, resp *http.Response) time.Duration {
		if resp != nil && (resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable) && len(resp.Header["Retry-After"]) > 0 {
			// The receiver says when to come back (parsed by go-retryablehttp), capped.
			return min(retryablehttp.DefaultBackoff(lo, hi, attempt, resp), max(opt.RetryAfterMax, hi))
		}
		return opt.Retry.Delay(attempt)
	}
	c.ErrorHandler = retryablehttp.PassthroughErrorHandler
	if st != nil {
		c.RequestLogHook = func(_ retryablehttp.Logger, _ *http.Request, attempt int) {
			st.requests.Add(1)
			if attempt > 0 {
				st.retries.Add(1)
			}
		}
	}
	return &Client{kind: kind, insecureSetting: opt.InsecureSetting, c: c}
}

// debugLogger sends go-retryablehttp's messages to slog at debug level
// (the outputs log what matters themselves, rate-limited).
type httpDebugLogger struct{ l *slog.Logger }

func (d httpDebugLogger) Error(msg string, kv ...any) { d.l.Debug(msg, kv...) }
func (d httpDebugLogger) Info(msg string, kv ...any)  { d.l.Debug(msg, kv...) }
func (d httpDebugLogger) Debug(msg string, kv ...any) { d.l.Debug(msg, kv...) }
func (d httpDebugLogger) Warn(msg string, kv ...any)  { d.l.Debug(msg, kv...) }

// readReply reads at most 64 KiB of a response body and closes it.
func readReply(resp *http.Response) []byte {
	defer resp.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
	return b
}

// transportError classifies a request that got no response.
// insecureSetting names the setting that skips TLS verification.
func transportError(ctx context.Context, kind, url string, err error, insecureSetting string) Outcome {
	if ctx.Err() != nil {
		return Outcome{Kind: OutAbort, Err: ctx.Err()}
	}
	var (
		certErr *tls.CertificateVerificationError
		unknown x509.UnknownAuthorityError
		invalid x509.CertificateInvalidError
		host    x509.HostnameError
	)
	if errors.As(err, &certErr) || errors.As(err, &unknown) || errors.As(err, &invalid) || errors.As(err, &host) {
		return Outcome{Kind: OutPerm, Err: fmt.Errorf("%s: %s: TLS certificate verification failed (%v): give the receiver a certificate this host trusts, or set %s = true to skip verification; the stanza stops", kind, url, err, insecureSetting)}
	}
	if strings.Contains(err.Error(), "server gave HTTP response to HTTPS client") {
		return Outcome{Kind: OutPerm, Err: fmt.Errorf("%s: %s: the receiver speaks plain HTTP: use protocol http; the stanza stops", kind, url)}
	}
	return Outcome{Kind: OutRetry, Err: err}
}
