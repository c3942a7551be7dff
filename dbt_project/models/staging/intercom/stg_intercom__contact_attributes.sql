-- One row per contact data attribute (shape shared with company attributes).
{{ stg_data_attributes('contact_attributes') }}
