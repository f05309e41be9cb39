-- An entry is approved by an electronic signature meaning Approved (core.signatures holds the signature).
ALTER TABLE hello.guest_book
    ADD COLUMN approved_at timestamptz,
    ADD COLUMN approved_by uuid,
    ADD CONSTRAINT guest_book_approved_together CHECK ((approved_at IS NULL) = (approved_by IS NULL));
