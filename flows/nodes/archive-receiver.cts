/**
 * CommonJS entry Node-RED `require`s (it loads node files with require). The node itself is an
 * ES module, loaded here through require(esm) (Node >= 20.19).
 */
import node = require("./archive-receiver-node.js");

export = node.default;
