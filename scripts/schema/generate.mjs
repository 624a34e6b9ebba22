// Placeholder: the schema step (issue 2, deliverable 3) is being written; see scripts/schema/README.
export async function generateSchema() {}
