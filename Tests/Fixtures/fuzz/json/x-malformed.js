window.YTD.following.part0 = [
  {
    "following" : {
      "accountId" : "101",
      "userLink" : "https://twitter.com/intent/user?user_id=101"
    }
  },
  {
    "following" : { }
  },
  {
    "muting" : {
      "accountId" : "5"
    }
  },
  {
    "following" : {
      "accountId" : "not-digits"
    }
  },
  {
    "following" : {
      "userLink" : "https://twitter.com/intent/user?user_id=202"
    }
  },
  {
    "following" : {
      "accountId" : 303
    }
  }
]
