// Package svg turns SVG drawings into animations that need no script and
// nothing from the network: [Animate] joins frames into one SVG document
// whose frames a CSS animation shows in turn, so it plays inline in
// Jupyter, in nbconvert's HTML export and as an image. [Elements] checks
// that a document is one well-formed SVG element.
//
// It knows nothing of environments or notebooks: vpg/envs draws the
// frames of an episode, the CLI's render command and kernel/anim animate
// them here.
package svg
