"""REST services of the statutory clocks: GET/POST <record>/@clocks."""
