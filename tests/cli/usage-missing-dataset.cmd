reliance
--format
json
