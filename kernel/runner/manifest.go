package runner

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// DefaultTimeout is the time a notebook may take when the manifest names none.
const DefaultTimeout = 10 * time.Minute

// Expect is what one notebook promises: a time limit and exact output counts.
type Expect struct {
	// Timeout bounds the whole notebook (kernel start and every cell).
	Timeout Duration `json:"timeout,omitempty"`
	// Charts counts kernel/display chart outputs (marker data-govpg="chart").
	Charts int `json:"charts"`
	// Animations counts kernel/display animation outputs (marker data-govpg="animation").
	Animations int `json:"animations"`
	// Checks counts passed display.Checkf self-checks (stdout lines starting with "✓").
	Checks int `json:"checks"`
}

// Manifest lists every notebook the runner knows, keyed by file name.
type Manifest struct {
	// Timeout is the default per-notebook limit.
	Timeout   Duration          `json:"timeout,omitempty"`
	Notebooks map[string]Expect `json:"notebooks"`
}

// Duration is a time.Duration written in JSON as a Go duration string such as "5m".
type Duration time.Duration

// UnmarshalJSON reads a duration string such as "90s" or "5m".
func (d *Duration) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("duration must be a string such as \"5m\", got %s", b)
	}
	v, err := time.ParseDuration(s)
	if err != nil || v <= 0 {
		return fmt.Errorf("duration %q is not a positive Go duration such as \"90s\" or \"5m\"", s)
	}
	*d = Duration(v)
	return nil
}

func (d Duration) String() string { return time.Duration(d).String() }

// MarshalJSON writes the duration as a string such as "5m0s".
func (d Duration) MarshalJSON() ([]byte, error) {
	return json.Marshal(time.Duration(d).String())
}

// LoadManifest reads and validates a manifest file.
func LoadManifest(path string) (*Manifest, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		if os.IsNotExist(err) {
			return nil, fmt.Errorf("manifest %s does not exist; create it with one entry per notebook, e.g. {\"notebooks\": {\"00_setup.ipynb\": {\"charts\": 1, \"animations\": 0, \"checks\": 1}}}", path)
		}
		return nil, err
	}
	m, err := ParseManifest(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return m, nil
}

// ParseManifest decodes a manifest, rejecting unknown fields and impossible values.
func ParseManifest(b []byte) (*Manifest, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var m Manifest
	if err := dec.Decode(&m); err != nil {
		return nil, fmt.Errorf("invalid manifest: %v (allowed: {\"timeout\": \"10m\", \"notebooks\": {\"NAME.ipynb\": {\"timeout\", \"charts\", \"animations\", \"checks\"}}})", err)
	}
	if m.Timeout == 0 {
		m.Timeout = Duration(DefaultTimeout)
	}
	for name, e := range m.Notebooks {
		if filepath.Base(name) != name || !strings.HasSuffix(name, ".ipynb") {
			return nil, fmt.Errorf("notebook key %q must be a file name ending in .ipynb, without directories", name)
		}
		if e.Charts < 0 || e.Animations < 0 || e.Checks < 0 {
			return nil, fmt.Errorf("%s: counts must be >= 0, got charts=%d animations=%d checks=%d", name, e.Charts, e.Animations, e.Checks)
		}
		if e.Timeout == 0 {
			e.Timeout = m.Timeout
			m.Notebooks[name] = e
		}
	}
	return &m, nil
}

// Lookup returns what the named notebook promises, or an error telling how to add it.
func (m *Manifest) Lookup(name string) (Expect, error) {
	e, ok := m.Notebooks[name]
	if !ok {
		return Expect{}, fmt.Errorf("%s is not in the manifest; add \"%s\": {\"charts\": N, \"animations\": N, \"checks\": N} to its \"notebooks\"", name, name)
	}
	return e, nil
}
