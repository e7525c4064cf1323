package engine

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Checkpoint is what a run remembers of one sample between restarts.
type Checkpoint struct {
	Stanza    string    `json:"stanza"`
	File      string    `json:"file,omitempty"`
	Next      time.Time `json:"next"`      // the next interval's scheduled time
	Intervals int       `json:"intervals"` // intervals done so far
	Finished  bool      `json:"finished"`  // end reached
	// BackfillUntil is where the backfill of the first run ended; intervals
	// up to it were backfill and do not count towards end.
	BackfillUntil time.Time `json:"backfill_until,omitzero"`
	// Index is, for replay, the next event of the pass starting at Next.
	Index int `json:"index,omitempty"`
}

// Checkpoints stores checkpoints by key.
type Checkpoints interface {
	Load(key string) (Checkpoint, bool, error)
	Save(key string, cp Checkpoint) error
	// Delete forgets key's checkpoint (a stanza a reload removed): when it
	// comes back it starts afresh instead of catching up the time it was
	// away.
	Delete(key string) error
}

// DirCheckpoints keeps one JSON file per sample in a directory (the
// modular input's checkpoint_dir). Each save writes a temporary file and
// renames it over the old one, so a kill at any moment leaves either the
// old or the new checkpoint, never a torn one.
type DirCheckpoints struct{ Dir string }

func (d DirCheckpoints) path(key string) string {
	sum := sha256.Sum256([]byte(key))
	name := strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '-' || r == '_' {
			return r
		}
		return '_'
	}, strings.ReplaceAll(key, "\x00", "_"))
	if len(name) > 80 {
		name = name[:80]
	}
	return filepath.Join(d.Dir, "eventgen-"+name+"-"+hex.EncodeToString(sum[:6])+".json")
}

// Load reads the checkpoint of key; ok is false when there is none.
func (d DirCheckpoints) Load(key string) (Checkpoint, bool, error) {
	var cp Checkpoint
	data, err := os.ReadFile(d.path(key))
	if os.IsNotExist(err) {
		return cp, false, nil
	}
	if err != nil {
		return cp, false, err
	}
	if err := json.Unmarshal(data, &cp); err != nil {
		return cp, false, fmt.Errorf("checkpoint %s is damaged (%v); starting this stanza afresh", d.path(key), err)
	}
	return cp, true, nil
}

// Save writes the checkpoint of key atomically.
func (d DirCheckpoints) Save(key string, cp Checkpoint) error {
	data, err := json.Marshal(cp)
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(d.Dir, ".eventgen-checkpoint-*")
	if err != nil {
		return err
	}
	_, werr := tmp.Write(data)
	serr := tmp.Sync()
	cerr := tmp.Close()
	if werr != nil || serr != nil || cerr != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("write checkpoint: %v", firstErr(werr, serr, cerr))
	}
	if err := os.Rename(tmp.Name(), d.path(key)); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return nil
}

// Delete removes the checkpoint of key; a missing one is not an error.
func (d DirCheckpoints) Delete(key string) error {
	if err := os.Remove(d.path(key)); err != nil && !os.IsNotExist(err) {
		return err
	}
	return nil
}

func firstErr(errs ...error) error {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}

// restore loads a stanza's checkpoint, if checkpoints are kept.
func (e *Engine) restore(st *Stanza) (Checkpoint, bool) {
	if e.opts.Checkpoints == nil {
		return Checkpoint{}, false
	}
	cp, ok, err := e.opts.Checkpoints.Load(st.key)
	if err != nil {
		e.log.Warn("cannot read checkpoint", "stanza", st.Sample.Name(), "error", err)
		return cp, false
	}
	return cp, ok
}

// forget deletes a stanza's checkpoint, if checkpoints are kept.
func (e *Engine) forget(st *Stanza) {
	if e.opts.Checkpoints == nil {
		return
	}
	if err := e.opts.Checkpoints.Delete(st.key); err != nil {
		e.log.Warn("cannot delete checkpoint", "stanza", st.Sample.Name(), "error", err)
	}
}

// save records a stanza's progress, if checkpoints are kept.
func (e *Engine) save(st *Stanza, finished bool) error {
	if e.opts.Checkpoints == nil {
		return nil
	}
	next := st.next
	if st.replay != nil {
		next = st.replay.passStart
	}
	return e.opts.Checkpoints.Save(st.key, Checkpoint{Stanza: st.Sample.Stanza, File: filepath.Base(st.Sample.Path), Next: next, Intervals: st.intervals, Finished: finished, BackfillUntil: st.backfillUntil, Index: st.replayIndex()})
}
