from slack_sdk import WebClient
client = WebClient(token="xoxb-823013578403-5067921922149-Ntvogw90qaBAHosgLMQdBXsp")
