//go:build unix

package main

import (
	"errors"
	"os"
	"syscall"
)

// tryLock takes f's exclusive advisory lock without waiting; held is false
// when another process has it.
func tryLock(f *os.File) (held bool, err error) {
	err = syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
	if errors.Is(err, syscall.EWOULDBLOCK) {
		return false, nil
	}
	return err == nil, err
}
