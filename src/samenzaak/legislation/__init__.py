"""New legislation, implemented together: model catalogues, version impact, switching zaken."""
