"""File builders of the indicators app (data in, bytes out): the dashboard
workbook, the import template, the work-summary Word draft."""
