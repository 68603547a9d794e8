-- Importing items already published looks up the agency's items by 名称
-- and 成文日期 (with 文号, to find those it holds already) without walking
-- every item of the agency.
CREATE INDEX items_agency_title ON items (agency, title, written_on);
