package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// lockFile holds the lock of a run directory and the PID of its holder.
// The lock is the kernel's (flock): it ends with the process, however the
// process ends, so a lock left by a killed run is simply taken.
const lockFile = ".lock"

// runDir is a run directory that this process alone writes.
type runDir struct {
	path string
	lock *os.File
}

// openRunDir makes dir if needed and locks it. A directory locked by a
// live process is refused, naming the process.
func openRunDir(dir string) (*runDir, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("cannot create the run directory: %w", err)
	}
	f, err := os.OpenFile(filepath.Join(dir, lockFile), os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("the run directory %s is not writable: %w", dir, err)
	}
	held, err := tryLock(f)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("locking the run directory %s: %w", dir, err)
	}
	if !held {
		holder, _ := io.ReadAll(io.LimitReader(f, 32))
		f.Close()
		pid := strings.TrimSpace(string(holder))
		if _, err := strconv.Atoi(pid); err != nil {
			pid = "another process (it has not written its PID yet)"
		} else {
			pid = "process " + pid
		}
		return nil, fmt.Errorf("the run directory %s is in use by %s, a vpg train writing it; wait for it to end or stop it first", dir, pid)
	}
	if err := f.Truncate(0); err == nil {
		_, err = f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	}
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("the run directory %s is not writable: %w", dir, err)
	}
	return &runDir{path: dir, lock: f}, nil
}

// close releases the lock (the file stays, so that no other process can
// be locking a file that is about to be removed).
func (d *runDir) close() { d.lock.Close() }

// cleanTemp removes what a killed save left behind, the temporary files of
// atomicfile.Write (".model.json.tmp123"), and says so on w. Only the lock
// holder may.
func (d *runDir) cleanTemp(w io.Writer) error {
	entries, err := os.ReadDir(d.path)
	if err != nil {
		return err
	}
	var removed []string
	defer func() {
		if len(removed) > 0 {
			fmt.Fprintf(w, "removed temporary files left by a killed save: %s\n", strings.Join(removed, ", "))
		}
	}()
	for _, e := range entries {
		if isTemp(e.Name()) {
			if err := os.Remove(filepath.Join(d.path, e.Name())); err != nil {
				return err
			}
			removed = append(removed, e.Name())
		}
	}
	return nil
}

// isTemp reports whether name is a temporary file of one of a run's files.
func isTemp(name string) bool {
	for _, f := range runFiles {
		if strings.HasPrefix(name, "."+f+".tmp") {
			return true
		}
	}
	return false
}

// contents lists the entries of the directory other than the lock.
func (d *runDir) contents() ([]string, error) {
	entries, err := os.ReadDir(d.path)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range entries {
		if e.Name() != lockFile {
			names = append(names, e.Name())
		}
	}
	return names, nil
}

// claimFresh makes the directory ready for a new run: refused if it holds
// anything, unless force, which removes the files of an earlier run
// (and nothing else).
func (d *runDir) claimFresh(force bool) error {
	names, err := d.contents()
	if err != nil {
		return err
	}
	if len(names) == 0 {
		return nil
	}
	if !force {
		return fmt.Errorf("the run directory %s is not empty (it holds %s); continue that run with --resume %s, replace it with --force, or choose another --out",
			d.path, strings.Join(names, ", "), d.path)
	}
	for _, n := range names {
		if slices.Contains(runFiles, n) {
			if err := os.Remove(filepath.Join(d.path, n)); err != nil {
				return err
			}
		}
	}
	return nil
}

// checkpoint is the path of the directory's checkpoint, with an error that
// says what to do if there is none.
func (d *runDir) checkpoint() (string, error) {
	path := filepath.Join(d.path, modelFile)
	if _, err := os.Lstat(path); errors.Is(err, os.ErrNotExist) {
		return "", fmt.Errorf("%s holds no checkpoint (%s): the run never saved one, because it was stopped before or during its first save; start it again with vpg train --out %s --force (and its other flags)",
			d.path, modelFile, d.path)
	}
	return path, nil
}
