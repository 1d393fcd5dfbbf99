// Package curves keeps the learning curves of training runs and sums them
// up over seeds: Record trains a configuration and keeps, per epoch, the
// environment steps, the wall time and the mean return; Save and Load keep
// many runs in one gzipped CSV file; Score is where a run ended (the mean
// return of its last episodes) and Resample puts runs of different epoch
// sizes or speeds on one axis, so that their mean and spread over seeds can
// be drawn as a band.
//
// vpg/cmd/ppocompare writes the VPG-against-PPO reproduction with it, and
// notebook 11 reads the same file.
package curves
