// Package reserve holds loopback TCP ports that refuse connections: the
// "service stopped" of a scenario (a closed 465), for the lab and the
// real-server suite. A port that is merely closed could be handed out
// again to another test's server running in parallel, which would then
// answer where the scenario wants a refusal; a reserved port stays bound,
// and so unavailable to anyone else, until it is released.
package reserve
