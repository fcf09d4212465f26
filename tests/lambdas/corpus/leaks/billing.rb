require 'stripe'
Stripe.api_key = 'sk_live_BDUsLCMFFYUE7mEgKmOqQuAw'
