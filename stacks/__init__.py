"""Infrastructure as code for the security assistant: troposphere -> one SAM template per env."""
