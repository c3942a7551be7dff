-- One row per company data attribute (shape shared with contact attributes).
{{ stg_data_attributes('company_attributes') }}
