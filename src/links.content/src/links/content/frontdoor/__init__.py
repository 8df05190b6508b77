"""The public front door: people without an account make a complaint, ask for information or share an
experience (README "The public front door")."""
