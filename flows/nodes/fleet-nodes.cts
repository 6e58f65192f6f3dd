/**
 * CommonJS entry Node-RED `require`s for the fleet nodes (see archive-receiver.cts).
 */
import node = require("./fleet-nodes.js");

export = node.default;
