window.YTD.account.part0 = [
  {
    "account" : {
      "email" : "dana@example.org",
      "username" : "dana_example",
      "accountId" : "4455667788"
    }
  }
]
