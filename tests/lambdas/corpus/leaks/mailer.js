const sgMail = require('@sendgrid/mail');
sgMail.setApiKey('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');
