// Placeholder entry point; the standalone server is being written (DESIGN.md, "Standalone server").
console.error('kube-sim: not implemented yet');
process.exit(1);
