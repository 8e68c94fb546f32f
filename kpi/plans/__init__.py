"""Plan documents: their text, parsing into targets, editing with history."""
