"""Demo data: a small network of organisations, experts, orderers and orders in every state,
so `make run` shows a product in use. Sits above every other app because it uses them all."""
