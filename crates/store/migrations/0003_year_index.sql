-- The dashboard counts the applications received in a year, for one agency,
-- a supervisor's agencies or all of them.
CREATE INDEX applications_year ON applications (year, agency);
